using System.Buffers;
using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using SmtpServer;
using SmtpServer.Protocol;
using SmtpServer.Storage;

namespace JobMatch.Benchmarks;

/// <summary>
/// A real SMTP server in this process (the SmtpServer package) on a free loopback port that records each accepted
/// message's Message-ID and arrival time, for lost and duplicate counts. Sockets are accepted with TCP_NODELAY, as real
/// mail servers do (see tests/JobMatch.Tests/Notifications/TestSmtpServer.cs: without it every message waits ~40 ms
/// for a delayed ACK).
/// </summary>
internal sealed class SmtpSink : IAsyncDisposable
{
    private readonly SmtpServer.SmtpServer _server;
    private readonly Task _running;

    public SmtpSink()
    {
        Port = FreePort();
        var options = new SmtpServerOptionsBuilder().ServerName("localhost")
            .Endpoint(b => b.Endpoint(new IPEndPoint(IPAddress.Loopback, Port))).Build();
        var services = new SmtpServer.ComponentModel.ServiceProvider();
        services.Add(new Store(Received));
        services.Add(new NoDelayListenerFactory());
        _server = new SmtpServer.SmtpServer(options, services);
        _running = _server.StartAsync(CancellationToken.None);
    }

    public int Port { get; }

    /// <summary>(Message-ID without angle brackets, Stopwatch timestamp on arrival).</summary>
    public ConcurrentQueue<(string MessageId, long At)> Received { get; } = new();

    public async ValueTask DisposeAsync()
    {
        _server.Shutdown();
        await _server.ShutdownTask;
        await _running;
    }

    private static int FreePort()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }

    private sealed class Store(ConcurrentQueue<(string, long)> received) : MessageStore
    {
        public override Task<SmtpResponse> SaveAsync(ISessionContext context, IMessageTransaction transaction, ReadOnlySequence<byte> buffer, CancellationToken cancellationToken)
        {
            var at = Stopwatch.GetTimestamp();
            // The header block only: parsing every whole message would take CPU from the dispatcher on 2 cores.
            var head = Encoding.ASCII.GetString(buffer.Slice(0, Math.Min(buffer.Length, 4096)).ToArray());
            var id = "";
            foreach (var line in head.Split("\r\n"))
            {
                if (line.Length == 0) break;
                if (line.StartsWith("Message-ID:", StringComparison.OrdinalIgnoreCase)) { id = line[11..].Trim().Trim('<', '>'); break; }
            }
            received.Enqueue((id, at));
            return Task.FromResult(SmtpResponse.Ok);
        }
    }

    private sealed class NoDelayListenerFactory : SmtpServer.Net.IEndpointListenerFactory
    {
        public SmtpServer.Net.IEndpointListener CreateListener(IEndpointDefinition endpointDefinition)
        {
            var listener = new TcpListener(endpointDefinition.Endpoint);
            listener.Start();
            return new Listener(listener);
        }

        private sealed class Listener(TcpListener listener) : SmtpServer.Net.IEndpointListener
        {
            public async Task<SmtpServer.IO.ISecurableDuplexPipe> GetPipeAsync(ISessionContext context, CancellationToken cancellationToken)
            {
                var client = await listener.AcceptTcpClientAsync(cancellationToken);
                client.NoDelay = true;
                context.Properties.Add(SmtpServer.Net.EndpointListener.LocalEndPointKey, client.Client.LocalEndPoint);
                context.Properties.Add(SmtpServer.Net.EndpointListener.RemoteEndPointKey, client.Client.RemoteEndPoint);
                return new Pipe(client);
            }

            public void Dispose() => listener.Stop();
        }

        private sealed class Pipe(TcpClient client) : SmtpServer.IO.ISecurableDuplexPipe
        {
            private readonly NetworkStream _stream = client.GetStream();

            public System.IO.Pipelines.PipeReader Input => field ??= System.IO.Pipelines.PipeReader.Create(_stream);
            public System.IO.Pipelines.PipeWriter Output => field ??= System.IO.Pipelines.PipeWriter.Create(_stream);
            public bool IsSecure => false;
            public System.Security.Authentication.SslProtocols SslProtocol => System.Security.Authentication.SslProtocols.None;

            public Task UpgradeAsync(System.Security.Cryptography.X509Certificates.X509Certificate certificate, System.Security.Authentication.SslProtocols protocols, CancellationToken cancellationToken = default) =>
                throw new NotSupportedException("The sink offers no TLS.");

            public void Dispose() => client.Dispose();
        }
    }
}
