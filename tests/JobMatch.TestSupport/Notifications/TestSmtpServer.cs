using System.Buffers;
using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using JobMatch.Tests.Infrastructure;
using MimeKit;
using SmtpServer;
using SmtpServer.Mail;
using SmtpServer.Protocol;
using SmtpServer.Storage;

namespace JobMatch.Tests.Notifications;

/// <summary>
/// A real SMTP server in the test process (the SmtpServer package) on a free loopback port, for the tests and the
/// benchmarks (B6). It keeps every message it accepted, and can be scripted to answer RCPT TO for an address with
/// given codes (e.g. 451, then 550). Created stopped when asked, so a test can start with "nothing listening" on the
/// port. Every arrival's Message-ID and time are recorded too (<see cref="Arrivals"/>), for lost and duplicate counts.
/// </summary>
public sealed class TestSmtpServer : IAsyncDisposable
{
    private readonly ConcurrentQueue<MimeMessage> _received = new();
    private readonly ConcurrentDictionary<string, ConcurrentQueue<int>> _scripts = new(StringComparer.OrdinalIgnoreCase);
    private SmtpServer.SmtpServer? _server;
    private Task? _running;

    private readonly bool _keepMessages;

    private TestSmtpServer(int port, bool keepMessages)
    {
        Port = port;
        _keepMessages = keepMessages;
    }

    public int Port { get; }

    public IReadOnlyList<MimeMessage> Received => [.. _received];

    /// <summary>(Message-ID without angle brackets, Stopwatch timestamp on arrival) of every accepted message.</summary>
    public ConcurrentQueue<(string MessageId, long At)> Arrivals { get; } = new();

    /// <param name="keepMessages">
    /// False: record <see cref="Arrivals"/> only, from the header block, and keep no <see cref="Received"/> message. The
    /// benchmark sends tens of thousands, and parsing every whole message would take CPU from the dispatcher on 2 cores.
    /// </param>
    public static TestSmtpServer Start(bool keepMessages = true)
    {
        var server = new TestSmtpServer(LoopbackPorts.Free(), keepMessages);
        server.Listen();
        return server;
    }

    /// <summary>A server that is not listening yet: connections to <see cref="Port"/> are refused until <see cref="Listen"/>.</summary>
    public static TestSmtpServer Stopped() => new(LoopbackPorts.Free(), keepMessages: true);

    /// <summary>RCPT TO &lt;address&gt; is answered with these codes in turn, then accepted.</summary>
    public void Script(string address, params int[] codes) => _scripts[address] = new ConcurrentQueue<int>(codes);

    public IReadOnlyList<MimeMessage> ReceivedWithId(string messageId) => Received.Where(m => m.MessageId == messageId).ToList();

    public void Listen()
    {
        var options = new SmtpServerOptionsBuilder()
            .ServerName("localhost")
            .Endpoint(b => b.Endpoint(new IPEndPoint(IPAddress.Loopback, Port)))
            .Build();
        var services = new SmtpServer.ComponentModel.ServiceProvider();
        services.Add(new Store(_received, Arrivals, _keepMessages));
        services.Add(new Filter(_scripts));
        services.Add(new NoDelayListenerFactory());
        _server = new SmtpServer.SmtpServer(options, services);
        _running = _server.StartAsync(CancellationToken.None);
    }

    public async ValueTask DisposeAsync()
    {
        if (_server is null) return;
        _server.Shutdown();
        await _server.ShutdownTask;
        if (_running is not null) await _running;
    }

    /// <summary>
    /// Accepts with TCP_NODELAY, as real mail servers do: the package's own listener leaves Nagle on, and its split
    /// replies then wait for the client's delayed ACK (about 40 ms a message on Linux).
    /// </summary>
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
                throw new NotSupportedException("The test server offers no TLS.");

            public void Dispose() => client.Dispose();
        }
    }

    private sealed class Store(ConcurrentQueue<MimeMessage> received, ConcurrentQueue<(string, long)> arrivals, bool keepMessages) : MessageStore
    {
        public override async Task<SmtpResponse> SaveAsync(ISessionContext context, IMessageTransaction transaction, ReadOnlySequence<byte> buffer, CancellationToken cancellationToken)
        {
            var at = Stopwatch.GetTimestamp();
            arrivals.Enqueue((MessageIdOf(buffer), at));
            if (keepMessages)
            {
                using var stream = new MemoryStream(buffer.ToArray());
                received.Enqueue(await MimeMessage.LoadAsync(stream, cancellationToken));
            }
            return SmtpResponse.Ok;
        }

        /// <summary>The Message-ID header from the first 4 KiB (the header block), without parsing the message.</summary>
        private static string MessageIdOf(ReadOnlySequence<byte> buffer)
        {
            var head = Encoding.ASCII.GetString(buffer.Slice(0, Math.Min(buffer.Length, 4096)).ToArray());
            foreach (var line in head.Split("\r\n"))
            {
                if (line.Length == 0) break;
                if (line.StartsWith("Message-ID:", StringComparison.OrdinalIgnoreCase)) return line[11..].Trim().Trim('<', '>');
            }
            return "";
        }
    }

    private sealed class Filter(ConcurrentDictionary<string, ConcurrentQueue<int>> scripts) : MailboxFilter
    {
        public override Task<bool> CanDeliverToAsync(ISessionContext context, IMailbox to, IMailbox from, CancellationToken cancellationToken)
        {
            if (scripts.TryGetValue($"{to.User}@{to.Host}", out var codes) && codes.TryDequeue(out var code))
            {
                throw new SmtpResponseException(new SmtpResponse((SmtpReplyCode)code, code >= 500 ? $"5.1.1 <{to.User}@{to.Host}> mailbox unavailable" : $"4.3.0 <{to.User}@{to.Host}> try again later"));
            }
            return Task.FromResult(true);
        }
    }
}
