using System.Collections.Concurrent;
using Alquimia.Orchestration;

namespace Alquimia.Tests.Orchestration;

public sealed class DagExecutorTests
{
    // a → b → c, a → d, e (independent)
    private static readonly string[] Nodes = ["a", "e", "b", "d", "c"];

    private static readonly Dictionary<string, string[]> Upstream = new()
    {
        ["a"] = [], ["e"] = [], ["b"] = ["a"], ["d"] = ["a"], ["c"] = ["b"],
    };

    [Fact]
    public async Task Run_SkipsDescendantsOfFailedNode_WhileIndependentBranchesGoOn()
    {
        var ran = new ConcurrentBag<string>();

        var result = await DagExecutor.RunAsync(Nodes, node => Upstream[node], (node, _) =>
        {
            ran.Add(node);
            return Task.FromResult(node != "b");
        }, maxParallelism: 2, CancellationToken.None);

        Assert.Equal(["a", "d", "e"], result.Succeeded.Order());
        Assert.Equal(["b"], result.Failed);
        Assert.Equal("b", Assert.Single(result.Skipped).Value);
        Assert.DoesNotContain("c", ran);
    }

    [Fact]
    public async Task Run_ANodeThatThrows_CountsAsFailed()
    {
        var result = await DagExecutor.RunAsync(Nodes, node => Upstream[node], (node, _) =>
            node == "a" ? throw new InvalidOperationException("boom") : Task.FromResult(true), 4, CancellationToken.None);

        Assert.Equal(["a"], result.Failed);
        Assert.Equal(["b", "c", "d"], result.Skipped.Keys.Order());
        Assert.Equal(["e"], result.Succeeded);
    }

    [Fact]
    public async Task Run_StartsANodeOnlyAfterAllItsUpstreamsSucceeded_AndNeverExceedsMaxParallelism()
    {
        var finished = new ConcurrentDictionary<string, bool>();
        var running = 0;
        var peak = 0;

        var result = await DagExecutor.RunAsync(Nodes, node => Upstream[node], async (node, _) =>
        {
            Assert.All(Upstream[node], parent => Assert.True(finished.ContainsKey(parent), $"{node} started before {parent} finished"));
            var now = Interlocked.Increment(ref running);
            InterlockedMax(ref peak, now);
            await Task.Delay(20, CancellationToken.None);
            Interlocked.Decrement(ref running);
            finished[node] = true;
            return true;
        }, maxParallelism: 2, CancellationToken.None);

        Assert.Equal(5, result.Succeeded.Count);
        Assert.InRange(peak, 1, 2);
    }

    [Fact]
    public async Task Run_AfterCancellation_StartsNothingNew_AndReportsTheRestCancelled()
    {
        using var cancellation = new CancellationTokenSource();

        var result = await DagExecutor.RunAsync(Nodes, node => Upstream[node], (node, token) =>
        {
            if (node == "a")
            {
                cancellation.Cancel();
                token.ThrowIfCancellationRequested();
            }

            return Task.FromResult(true);
        }, maxParallelism: 1, cancellation.Token);

        Assert.Empty(result.Succeeded);
        Assert.Equal(Nodes.Order(), result.Cancelled.Order());
    }

    private static void InterlockedMax(ref int target, int value)
    {
        int current;
        while ((current = Volatile.Read(ref target)) < value && Interlocked.CompareExchange(ref target, value, current) != current)
        {
        }
    }
}
