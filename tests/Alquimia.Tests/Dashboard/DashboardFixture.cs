using Alquimia.Projects;
using Alquimia.Tests.Orchestration;
using Alquimia.Tests.Scheduling;
using Alquimia.Tests.Serving;
using Alquimia.Tests.Warehouse.DuckDb;
using Alquimia.Warehouse;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace Alquimia.Tests.Dashboard;

/// <summary>
/// Seed 004's CRM project run once and served by <c>alquimia serve</c> in the test's process, and one Chromium
/// (Debian's, /usr/bin/chromium: Playwright never downloads a browser here) shared by a test class; each test opens
/// its own browser context, so its sessionStorage starts empty.
/// </summary>
public sealed class DashboardFixture : IAsyncLifetime, IDisposable
{
    /// <summary>The browser the tests drive: Debian's package (scripts/test-servers.sh installs it).</summary>
    public const string ChromiumPath = "/usr/bin/chromium";

    /// <summary>The API key of ORG1 (serve.api_keys.crm_org1): its three tables, ORG1's rows only.</summary>
    public const string Org1Key = "crm-org1-key-0123456789abcdef0123";

    private readonly TempDirectory _directory = new();
    private IPlaywright? _playwright;
    private IBrowser? _browser;
    private TestServer? _server;

    public Project Project { get; private set; } = null!;

    internal TestServer Server => _server!;

    public EmbeddedWarehouse Warehouse => Server.App.Services.GetRequiredService<EmbeddedWarehouse>();

    public async Task InitializeAsync()
    {
        if (!File.Exists(ChromiumPath))
        {
            throw new InvalidOperationException($"The dashboard's tests drive Debian's Chromium at {ChromiumPath}, which is missing: run `bash scripts/test-servers.sh` (as root) or `sudo apt-get install -y chromium`.");
        }

        // An API key of ORG1's, as a dashboard of one organization would be given.
        Project = await ServedCrm.BuildAsync(_directory.Path, """

            serve:
              api_keys:
                crm_org1:
                  key_env: CRM_KEY_ORG1
                  tables:
                    gold.crm_metrics_daily: organization_id = 'ORG1'
                    gold.crm_action_priorities_daily: organization_id = 'ORG1'
                    gold.crm_actions_open_snapshot: organization_id = 'ORG1'

            """);
        _server = await TestServer.StartAsync(Project, options => options with { Environment = name => name == "CRM_KEY_ORG1" ? Org1Key : null });

        // Playwright's driver only; the browser is the system's, so no download is ever attempted.
        Environment.SetEnvironmentVariable("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1");
        _playwright = await Playwright.CreateAsync();
        _browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = ChromiumPath,
            Headless = true,
            Args = ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-background-networking"],
        });
    }

    /// <summary>A fresh page of its own context (empty sessionStorage), 1280 px wide, that fails the test on any script error.</summary>
    public async Task<DashboardPage> OpenAsync()
    {
        var context = await _browser!.NewContextAsync(new BrowserNewContextOptions { ViewportSize = new ViewportSize { Width = 1280, Height = 900 } });
        var page = await context.NewPageAsync();
        // Generous: a wait ends as soon as its condition holds, and a 2-core CI machine running other tests beside it is slow.
        page.SetDefaultTimeout(30_000);
        return new DashboardPage(context, page, Server.Address);
    }

    /// <summary>The rows of <paramref name="sql"/> run on the served warehouse, each as its values joined by '|'.</summary>
    public List<string> Direct(string sql) => Warehouse.Read(connection => WarehouseRows.Of(connection, sql));

    public async Task DisposeAsync()
    {
        if (_browser is not null)
        {
            await _browser.DisposeAsync();
        }

        _playwright?.Dispose();
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }

    }

    public void Dispose() => _directory.Dispose();
}
