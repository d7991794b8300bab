using System.Diagnostics;
using System.Net.Sockets;
using Alquimia.Tests.Scheduling;
using Alquimia.Tests.Warehouse.DuckDb;
using MimeKit;

namespace Alquimia.Tests.Alerts;

/// <summary>
/// A real SMTP server: Debian's aiosmtpd (scripts/test-servers.sh installs it), listening on a free port of 127.0.0.1
/// and keeping each mail it receives in a Maildir folder; killed and deleted at the end.
/// </summary>
internal sealed class SmtpServer : IDisposable
{
    private readonly TempDirectory _folder = new();
    private readonly Process _process;

    public SmtpServer()
    {
        Port = TestServer.FreePort();
        _process = Process.Start(new ProcessStartInfo("/usr/bin/python3")
        {
            // The Maildir must not exist yet: aiosmtpd creates it with its cur, new and tmp folders.
            ArgumentList = { "-m", "aiosmtpd", "-n", "-l", $"127.0.0.1:{Port}", "-c", "aiosmtpd.handlers.Mailbox", MailDir },
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        })!;
        _ = _process.StandardOutput.ReadToEndAsync();
        _ = _process.StandardError.ReadToEndAsync();
        WaitUntilListening();
    }

    public int Port { get; }

    private string MailDir => Path.Combine(_folder.Path, "maildir");

    /// <summary>Waits (at most 30 seconds) until <paramref name="count"/> mails arrived; returns every mail, oldest first.</summary>
    public async Task<IReadOnlyList<MimeMessage>> WaitForMessages(int count)
    {
        for (var attempt = 0; attempt < 300; attempt++)
        {
            var files = Directory.Exists(Path.Combine(MailDir, "new")) ? Directory.GetFiles(Path.Combine(MailDir, "new")) : [];
            if (files.Length >= count)
            {
                return [.. files.Select(file => MimeMessage.Load(file)).OrderBy(message => message.Date)];
            }

            await Task.Delay(100);
        }

        throw new TimeoutException($"The SMTP server received fewer than {count} mail(s).");
    }

    private void WaitUntilListening()
    {
        for (var attempt = 0; attempt < 100; attempt++)
        {
            try
            {
                using var client = new TcpClient("127.0.0.1", Port);
                return;
            }
            catch (SocketException)
            {
                Thread.Sleep(100);
            }
        }

        throw new InvalidOperationException($"aiosmtpd did not listen on 127.0.0.1:{Port} (is python3-aiosmtpd installed? bash scripts/test-servers.sh).");
    }

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit();
        }

        _process.Dispose();
        _folder.Dispose();
    }
}
