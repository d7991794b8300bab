using Alquimia.Tests.Scheduling;
using Microsoft.Playwright;

namespace Alquimia.Tests.Dashboard;

/// <summary>
/// One browser tab on the dashboard: signing in, waiting for panels, and a screenshot of what it showed, kept in the
/// test artifacts folder (<see cref="ArtifactsFolder"/>). It records every script error and refused policy, which a
/// test asserts there were none of.
/// </summary>
public sealed class DashboardPage : IAsyncDisposable
{
    /// <summary>
    /// Where screenshots go: $ALQUIMIA_TEST_ARTIFACTS/dashboard when set (e.g. by CI, to keep them), else
    /// artifacts/dashboard beside the test assembly (under bin/, which git ignores).
    /// </summary>
    public static string ArtifactsFolder { get; } = Path.Combine(
        Environment.GetEnvironmentVariable("ALQUIMIA_TEST_ARTIFACTS") is { Length: > 0 } folder ? folder : Path.Combine(AppContext.BaseDirectory, "artifacts"),
        "dashboard");

    private readonly IBrowserContext _context;
    private readonly List<string> _errors = [];

    public DashboardPage(IBrowserContext context, IPage page, string address)
    {
        _context = context;
        Page = page;
        Address = address;
        page.Console += (_, message) =>
        {
            if (message.Type == "error")
            {
                _errors.Add(message.Text);
            }
        };
        page.PageError += (_, error) => _errors.Add(error);
    }

    public IPage Page { get; }

    public string Address { get; }

    /// <summary>Script errors and console errors (a blocked script or style, a failed request) seen so far.</summary>
    public IReadOnlyList<string> Errors => _errors;

    public async Task GoToAsync() => await Page.GotoAsync(Address + "/");

    /// <summary>Opens the page and gives <paramref name="token"/> in its form.</summary>
    public async Task SignInAsync(string token = TestServer.Token)
    {
        await GoToAsync();
        await Page.FillAsync("#token-input", token);
        await Page.ClickAsync("#token-form button[type=submit]");
    }

    /// <summary>Waits until the panel <paramref name="id"/> finished loading, whatever its outcome, and returns that outcome.</summary>
    public async Task<string> PanelStateAsync(string id)
    {
        await Page.WaitForSelectorAsync($"#{id}:is([data-state=ready], [data-state=refused], [data-state=error])", new() { State = WaitForSelectorState.Attached });
        return (await Page.GetAttributeAsync($"#{id}", "data-state"))!;
    }

    public async Task<IReadOnlyList<string>> TextsAsync(string selector) => await Page.Locator(selector).AllTextContentsAsync();

    public async Task<IReadOnlyList<string>> AttributesAsync(string selector, string attribute) =>
        await Page.Locator(selector).EvaluateAllAsync<string[]>($"elements => elements.map(element => element.getAttribute('{attribute}'))");

    /// <summary>Saves the whole page as <paramref name="name"/>.png in the artifacts folder.</summary>
    public async Task ScreenshotAsync(string name)
    {
        Directory.CreateDirectory(ArtifactsFolder);
        await Page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(ArtifactsFolder, name + ".png"), FullPage = true });
    }

    public async ValueTask DisposeAsync() => await _context.DisposeAsync();
}
