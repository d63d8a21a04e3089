using System.ComponentModel.DataAnnotations;
using MailKit.Security;

namespace PovertyNews.Web.Newsroom.Notifications;

/// <summary>
/// The "PovertyNews:Email" section: the SMTP server the newsroom's notices go out through. Without a
/// <see cref="Host"/> no e-mail is queued and the preferences page says so.
/// </summary>
public sealed class EmailOptions
{
    public const string SectionName = "PovertyNews:Email";

    public string? Host { get; set; }

    [Range(1, 65535)]
    public int Port { get; set; } = 587;

    /// <summary>Auto (STARTTLS when offered), StartTls, SslOnConnect (port 465) or None (a local relay).</summary>
    public SecureSocketOptions Security { get; set; } = SecureSocketOptions.Auto;

    public string? UserName { get; set; }
    public string? Password { get; set; }

    [EmailAddress]
    public string? FromAddress { get; set; }

    public string FromName { get; set; } = "编辑部";

    /// <summary>How often the outbox is looked at.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "01:00:00")]
    public TimeSpan SendInterval { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Attempts before a message is given up (its last error stays on the row).</summary>
    [Range(1, 50)]
    public int MaxAttempts { get; set; } = 8;

    /// <summary>The wait after the first failure; it doubles with each further one (1, 2, 4 … minutes).</summary>
    [Range(typeof(TimeSpan), "00:00:01", "01:00:00")]
    public TimeSpan FirstRetryDelay { get; set; } = TimeSpan.FromMinutes(1);

    [Range(typeof(TimeSpan), "00:00:01", "00:05:00")]
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(30);

    public bool Enabled => !string.IsNullOrWhiteSpace(Host);

    /// <summary>The wait before attempt <paramref name="attempts"/> + 1 after <paramref name="attempts"/> failures, capped at a day.</summary>
    public TimeSpan RetryDelay(int attempts)
    {
        var factor = Math.Pow(2, Math.Clamp(attempts - 1, 0, 20));
        return TimeSpan.FromTicks((long)Math.Min(FirstRetryDelay.Ticks * factor, TimeSpan.FromDays(1).Ticks));
    }
}
