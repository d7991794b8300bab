using System.Globalization;
using System.Text;
using Alquimia.Projects;
using MailKit.Net.Smtp;
using MailKit.Security;
using MimeKit;

namespace Alquimia.Alerts;

/// <summary>A mail over SMTP (MailKit): the title as subject, the summary and facts as plain text.</summary>
internal sealed class EmailChannel(AlertChannelDefinition definition, string? username, string? password) : IAlertChannel
{
    public string Name => definition.Name;

    public async Task SendAsync(AlertNotice notice, CancellationToken cancellationToken)
    {
        using var message = new MimeMessage();
        message.From.Add(MailboxAddress.Parse(definition.From!));
        foreach (var to in definition.To)
        {
            message.To.Add(MailboxAddress.Parse(to));
        }

        message.Subject = $"[Alquimia {notice.Project}] {notice.Title}";
        message.Body = new TextPart("plain") { Text = Body(notice) };
        using var smtp = new SmtpClient { Timeout = 30_000 };
        var security = definition.SmtpSecurity switch
        {
            SmtpSecurity.Ssl => SecureSocketOptions.SslOnConnect,
            SmtpSecurity.None => SecureSocketOptions.None,
            _ => SecureSocketOptions.StartTls,
        };
        await smtp.ConnectAsync(definition.SmtpHost!, definition.SmtpPort!.Value, security, cancellationToken).ConfigureAwait(false);
        if (username is not null)
        {
            await smtp.AuthenticateAsync(username, password ?? "", cancellationToken).ConfigureAwait(false);
        }

        await smtp.SendAsync(message, cancellationToken).ConfigureAwait(false);
        await smtp.DisconnectAsync(quit: true, cancellationToken).ConfigureAwait(false);
    }

    internal static string Body(AlertNotice notice)
    {
        var body = new StringBuilder();
        body.AppendLine(notice.Summary).AppendLine();
        foreach (var (name, value) in notice.Facts)
        {
            body.Append(CultureInfo.InvariantCulture, $"{name}: {value}").AppendLine();
        }

        body.AppendLine()
            .Append(CultureInfo.InvariantCulture, $"Rule {notice.Rule.Name} ({notice.Condition}) of project {notice.Project}, since {notice.Since:yyyy-MM-dd HH:mm:ss zzz}.").AppendLine()
            .AppendLine("Sent by alquimia serve.");
        return body.ToString();
    }
}
