using MailKit.Net.Smtp;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using MimeKit;
using PovertyNews.Web.Common;
using PovertyNews.Web.Data;
using PovertyNews.Web.Domain;

namespace PovertyNews.Web.Newsroom.Notifications;

/// <summary>
/// Sends the e-mail outbox (<see cref="OutgoingEmail"/>) through the configured SMTP server. A failure leaves the
/// message queued with its error and a later attempt time, doubling the wait each time, until
/// <see cref="EmailOptions.MaxAttempts"/>; then it is given up (the row stays, with its last error). With several
/// nodes one pass runs at a time (<see cref="JobLock"/>), so no message goes out twice from two nodes.
/// </summary>
public sealed class EmailOutbox(IServiceScopeFactory scopes, JobLock jobs, TimeProvider time, IOptions<EmailOptions> options,
    ILogger<EmailOutbox> logger) : BackgroundService
{
    /// <summary>Messages per pass; the next pass takes the rest.</summary>
    public const int BatchSize = 50;

    /// <summary>The job's lock key (see <see cref="JobLock"/>).</summary>
    public const string Job = "mail";

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!options.Value.Enabled)
        {
            return;
        }
        await PeriodicPass.RunAsync(time, options.Value.SendInterval, async ct =>
        {
            await SendDueAsync(ct);
        }, ex =>
        {
            logger.LogError(ex, "Sending the e-mail outbox failed; retrying in {Interval}", options.Value.SendInterval);
        }, stoppingToken);
    }

    /// <summary>One pass: every message due now, over one SMTP connection. Returns how many were sent.</summary>
    public async Task<int> SendDueAsync(CancellationToken ct)
    {
        var settings = options.Value;
        if (!settings.Enabled)
        {
            return 0;
        }
        await using var pass = await jobs.TryEnterAsync(Job, ct);
        if (pass is null)
        {
            return 0;
        }
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<NewsDbContext>();
        var now = time.GetUtcNow().UtcDateTime;
        var due = await db.OutgoingEmails
            .Where(m => m.SentAt == null && m.NextAttemptAt <= now && m.Attempts < settings.MaxAttempts)
            .OrderBy(m => m.NextAttemptAt).ThenBy(m => m.Id).Take(BatchSize).ToListAsync(ct);
        if (due.Count == 0)
        {
            return 0;
        }
        var sent = 0;
        using var client = new SmtpClient { Timeout = (int)settings.Timeout.TotalMilliseconds };
        try
        {
            await client.ConnectAsync(settings.Host!, settings.Port, settings.Security, ct);
            if (!string.IsNullOrEmpty(settings.UserName))
            {
                await client.AuthenticateAsync(settings.UserName, settings.Password ?? "", ct);
            }
            foreach (var message in due)
            {
                try
                {
                    await client.SendAsync(ToMime(message, settings), ct);
                    message.SentAt = time.GetUtcNow().UtcDateTime;
                    message.Attempts++;
                    message.LastError = null;
                    sent++;
                    logger.LogInformation("E-mail {EmailId} sent to {Recipient} after {Attempts} attempts", message.Id, message.To, message.Attempts);
                }
                catch (Exception ex) when (ex is not OperationCanceledException && client.IsConnected)
                {
                    // A refusal of this one message (a bad address): the others still go.
                    Failed(message, ex, now, settings);
                }
                // The row is saved after each message, so one sent is never sent again if a later one fails the pass.
                await db.SaveChangesAsync(ct);
            }
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // The server is unreachable or refused the session: every message not yet sent waits for its next attempt.
            foreach (var message in due.Where(m => m.SentAt is null && m.NextAttemptAt <= now))
            {
                Failed(message, ex, now, settings);
            }
            await db.SaveChangesAsync(CancellationToken.None);
        }
        finally
        {
            if (client.IsConnected)
            {
                await client.DisconnectAsync(quit: true, CancellationToken.None);
            }
        }
        return sent;
    }

    private void Failed(OutgoingEmail message, Exception ex, DateTime now, EmailOptions settings)
    {
        message.Attempts++;
        message.LastError = AuditLog.Clean($"{ex.GetType().Name}: {ex.Message}", 1000);
        message.NextAttemptAt = now + settings.RetryDelay(message.Attempts);
        if (message.Attempts >= settings.MaxAttempts)
        {
            logger.LogError("E-mail {EmailId} to {Recipient} given up after {Attempts} attempts: {Error}", message.Id, message.To, message.Attempts, message.LastError);
        }
        else
        {
            logger.LogWarning("E-mail {EmailId} to {Recipient} failed (attempt {Attempts}), next at {NextAttemptAt:o}: {Error}",
                message.Id, message.To, message.Attempts, message.NextAttemptAt, message.LastError);
        }
    }

    private static MimeMessage ToMime(OutgoingEmail message, EmailOptions settings)
    {
        var mime = new MimeMessage();
        mime.From.Add(new MailboxAddress(settings.FromName, settings.FromAddress!));
        mime.To.Add(MailboxAddress.Parse(message.To));
        mime.Subject = message.Subject;
        mime.Body = new TextPart("plain") { Text = message.Body };
        return mime;
    }
}
