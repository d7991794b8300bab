using Alquimia.Server;

namespace Alquimia.Tests.Serving;

/// <summary>The read API's cache: a commit drops a relation's answers, an answer read across a commit is not kept, and the bound holds.</summary>
public sealed class ReadCacheTests
{
    private static CachedRead Answer(string etag, int bytes = 10) => new(etag, "application/json", new byte[bytes], null, null);

    [Fact]
    public void ACommit_DropsTheRelationsAnswers_AndNoOtherRelations()
    {
        var cache = new ReadCache();
        cache.Put("gold.a", cache.Generation("gold.a"), "a?x", Answer("1"));
        cache.Put("gold.b", cache.Generation("gold.b"), "b?x", Answer("2"));

        cache.Invalidate("gold.a");

        Assert.False(cache.TryGet("a?x", out _));
        Assert.True(cache.TryGet("b?x", out var kept));
        Assert.Equal("2", kept.ETag);
    }

    [Fact]
    public void AnAnswerReadWhileACommitHappened_IsNotKept()
    {
        var cache = new ReadCache();
        var before = cache.Generation("gold.a");

        // The read began before the commit and ends after it: what it read may be the old data.
        cache.Invalidate("gold.a");
        cache.Put("gold.a", before, "a?x", Answer("old"));

        Assert.False(cache.TryGet("a?x", out _));
        cache.Put("gold.a", cache.Generation("gold.a"), "a?x", Answer("new"));
        Assert.True(cache.TryGet("a?x", out var fresh));
        Assert.Equal("new", fresh.ETag);
    }

    [Fact]
    public void TheBound_DropsTheLeastRecentlyUsedFirst()
    {
        var cache = new ReadCache(maxBytes: 100);
        cache.Put("gold.a", 0, "1", Answer("1", 20));
        cache.Put("gold.a", 0, "2", Answer("2", 20));
        cache.Put("gold.a", 0, "3", Answer("3", 20));
        cache.TryGet("1", out _);

        cache.Put("gold.a", 0, "4", Answer("4", 20));
        cache.Put("gold.a", 0, "5", Answer("5", 25));

        Assert.False(cache.TryGet("2", out _));
        Assert.True(cache.TryGet("1", out _));
        Assert.True(cache.TryGet("5", out _));
    }
}
