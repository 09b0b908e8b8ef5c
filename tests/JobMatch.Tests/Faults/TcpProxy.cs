using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;

namespace JobMatch.Tests.Faults;

/// <summary>
/// A TCP forwarder on a loopback port in the test process, in front of PostgreSQL: <see cref="Stop"/> closes the
/// listener and every open connection (like killing a socat proxy), <see cref="BlackHole"/> keeps every connection
/// open but drops all bytes (like a firewall dropping packets: nothing is refused, nothing answers),
/// <see cref="Start"/> listens again on the same port.
/// </summary>
internal sealed class TcpProxy(int targetPort) : IDisposable
{
    private readonly ConcurrentDictionary<Socket, byte> _open = new();
    private TcpListener? _listener;
    private CancellationTokenSource? _stop;

    public int Port { get; private set; }
    public int Accepted => _accepted;
    private int _accepted;

    public void Start()
    {
        _stop = new CancellationTokenSource();
        var listener = new TcpListener(IPAddress.Loopback, Port);
        listener.Server.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
        listener.Start();
        Port = ((IPEndPoint)listener.LocalEndpoint).Port;
        _listener = listener;
        _ = AcceptAsync(listener, _stop.Token);
    }

    /// <summary>From now on bytes in either direction are read and dropped, and new connections are accepted but never forwarded.</summary>
    public void BlackHole() => _blackHole = true;

    private volatile bool _blackHole;

    public void Stop()
    {
        _blackHole = false;
        _stop?.Cancel();
        _listener?.Stop();
        _listener = null;
        foreach (var socket in _open.Keys)
        {
            try { socket.Shutdown(SocketShutdown.Both); } catch (SocketException) { } catch (ObjectDisposedException) { }
            socket.Dispose();
        }
        _open.Clear();
    }

    private async Task AcceptAsync(TcpListener listener, CancellationToken ct)
    {
        while (!ct.IsCancellationRequested)
        {
            Socket client;
            try
            {
                client = await listener.AcceptSocketAsync(ct);
            }
            catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
            {
                return;
            }
            Interlocked.Increment(ref _accepted);
            _ = PairAsync(client, ct);
        }
    }

    private async Task PairAsync(Socket client, CancellationToken ct)
    {
        var server = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        client.NoDelay = true;
        _open[client] = 0;
        _open[server] = 0;
        try
        {
            await using var a = new NetworkStream(client, ownsSocket: false);
            if (_blackHole)
            {
                await PumpAsync(a, Stream.Null, ct);
                return;
            }
            await server.ConnectAsync(IPAddress.Loopback, targetPort, ct);
            await using var b = new NetworkStream(server, ownsSocket: false);
            await Task.WhenAny(PumpAsync(a, b, ct), PumpAsync(b, a, ct));
        }
        catch (Exception e) when (e is OperationCanceledException or SocketException or IOException or ObjectDisposedException)
        {
        }
        finally
        {
            _open.TryRemove(client, out _);
            _open.TryRemove(server, out _);
            client.Dispose();
            server.Dispose();
        }
    }

    /// <summary>Copies <paramref name="from"/> to <paramref name="to"/>, dropping everything while the proxy is a black hole.</summary>
    private async Task PumpAsync(Stream from, Stream to, CancellationToken ct)
    {
        var buffer = new byte[16 * 1024];
        int read;
        while ((read = await from.ReadAsync(buffer, ct)) > 0)
        {
            if (!_blackHole) await to.WriteAsync(buffer.AsMemory(0, read), ct);
        }
    }

    public void Dispose() => Stop();
}
