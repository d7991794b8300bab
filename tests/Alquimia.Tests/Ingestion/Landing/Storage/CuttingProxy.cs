using System.Net;
using System.Net.Sockets;

namespace Alquimia.Tests.Ingestion.Landing.Storage;

/// <summary>
/// A TCP proxy on 127.0.0.1 in front of a server that cuts every connection once more than a number of bytes went from
/// clients to the server, and refuses every connection after: a network that fails in the middle of an upload. It
/// keeps what clients sent, to tell which requests were made.
/// </summary>
internal sealed class CuttingProxy : IDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly int _serverPort;
    private readonly long _cutAfter;
    private readonly List<TcpClient> _open = [];
    private readonly Lock _lock = new();
    private readonly List<MemoryStream> _requests = [];
    private long _sent;
    private bool _cut;

    public CuttingProxy(Uri server, long cutAfterBytes)
    {
        _serverPort = server.Port;
        _cutAfter = cutAfterBytes;
        _listener.Start();
        _ = AcceptAsync();
    }

    public Uri Endpoint => new($"http://127.0.0.1:{((IPEndPoint)_listener.LocalEndpoint).Port}");

    /// <summary>True once it has cut the connections.</summary>
    public bool HasCut
    {
        get
        {
            lock (_lock)
            {
                return _cut;
            }
        }
    }

    /// <summary>The request lines clients sent (<c>PUT /bucket/key?partNumber=1&amp;uploadId=… HTTP/1.1</c>), in the order of their connections.</summary>
    public List<string> RequestLines()
    {
        lock (_lock)
        {
            return [.. _requests.SelectMany(sent => System.Text.RegularExpressions.Regex.Matches(
                    System.Text.Encoding.Latin1.GetString(sent.ToArray()), @"(GET|PUT|POST|DELETE|HEAD) /\S+ HTTP/1\.1")
                .Select(match => match.Value))];
        }
    }

    public void Dispose()
    {
        _listener.Stop();
        Cut();
    }

    private async Task AcceptAsync()
    {
        while (true)
        {
            TcpClient client;
            try
            {
                client = await _listener.AcceptTcpClientAsync();
            }
            catch (Exception error) when (error is SocketException or ObjectDisposedException)
            {
                return;
            }

            var server = new TcpClient();
            lock (_lock)
            {
                if (_cut)
                {
                    client.Close();
                    continue;
                }

                _open.Add(client);
                _open.Add(server);
            }

            await server.ConnectAsync(IPAddress.Loopback, _serverPort);
            var sent = new MemoryStream();
            lock (_lock)
            {
                _requests.Add(sent);
            }

            _ = PumpAsync(client.GetStream(), server.GetStream(), sent);
            _ = PumpAsync(server.GetStream(), client.GetStream(), null);
        }
    }

    /// <param name="sent">Where a client's bytes are kept and counted; null for the server's.</param>
    private async Task PumpAsync(NetworkStream from, NetworkStream to, MemoryStream? sent)
    {
        var buffer = new byte[8192];
        try
        {
            int read;
            while ((read = await from.ReadAsync(buffer)) > 0)
            {
                if (sent is not null)
                {
                    lock (_lock)
                    {
                        sent.Write(buffer, 0, read);
                    }

                    if (Interlocked.Add(ref _sent, read) > _cutAfter)
                    {
                        Cut();
                        return;
                    }
                }

                await to.WriteAsync(buffer.AsMemory(0, read));
            }
        }
        catch (Exception error) when (error is IOException or ObjectDisposedException or SocketException)
        {
            // The other side closed, or the proxy cut it.
        }
    }

    private void Cut()
    {
        lock (_lock)
        {
            _cut = true;
            foreach (var connection in _open)
            {
                connection.Close();
            }

            _open.Clear();
        }
    }
}
