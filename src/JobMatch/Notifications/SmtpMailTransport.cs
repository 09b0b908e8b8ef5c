using MailKit.Net.Smtp;
using Microsoft.Extensions.Options;
using MimeKit;

namespace JobMatch.Notifications;

/// <summary>Sends through MailKit; one connection per dispatch run, reconnecting if the server dropped it.</summary>
internal sealed class SmtpMailTransport(IOptions<SmtpOptions> options) : IMailTransport
{
    public IMailSession OpenSession() => new Session(options.Value);

    private sealed class Session(SmtpOptions options) : IMailSession
    {
        private readonly SmtpClient _client = new() { Timeout = options.TimeoutSeconds * 1000 };

        public async Task SendAsync(MimeMessage message, CancellationToken ct)
        {
            if (!_client.IsConnected)
            {
                await _client.ConnectAsync(options.Host!, options.Port, options.SecureSocketOptions, ct);
                if (!string.IsNullOrEmpty(options.User))
                {
                    await _client.AuthenticateAsync(options.User, options.Password ?? "", ct);
                }
            }
            await _client.SendAsync(message, ct);
        }

        public async ValueTask DisposeAsync()
        {
            try
            {
                if (_client.IsConnected) await _client.DisconnectAsync(true, CancellationToken.None);
            }
            catch (Exception e) when (e is IOException or MailKit.ProtocolException or OperationCanceledException or System.Net.Sockets.SocketException)
            {
                // Everything was sent or recorded already; a failed QUIT changes nothing.
            }
            _client.Dispose();
        }
    }
}
