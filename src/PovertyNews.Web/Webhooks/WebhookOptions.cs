using System.ComponentModel.DataAnnotations;

namespace PovertyNews.Web.Webhooks;

/// <summary>The "PovertyNews:Webhooks" section: how often the queue is sent, how deliveries retry, which addresses may be called.</summary>
public sealed class WebhookOptions
{
    public const string SectionName = "PovertyNews:Webhooks";

    /// <summary>Off: events are still recorded (so nothing is lost), but no node fans out or sends.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>How often a node looks at the queue; 2 s gets a publish to a receiver within 5 s.</summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "00:10:00")]
    public TimeSpan SendInterval { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>Attempts before a delivery is marked failed (an administrator may resend it).</summary>
    [Range(1, 30)]
    public int MaxAttempts { get; set; } = 8;

    /// <summary>The wait after the first failure; it doubles after each further one (plus up to a fifth of jitter).</summary>
    [Range(typeof(TimeSpan), "00:00:01", "01:00:00")]
    public TimeSpan BaseBackoff { get; set; } = TimeSpan.FromSeconds(30);

    [Range(typeof(TimeSpan), "00:00:01", "00:02:00")]
    public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>How long a node's claim on a delivery holds; after it another node may send it again (the sender died).</summary>
    [Range(typeof(TimeSpan), "00:00:05", "01:00:00")]
    public TimeSpan LeaseLength { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>Plain http endpoints; off, only https is accepted (百度's push address is the one exception).</summary>
    public bool AllowHttp { get; set; }

    /// <summary>Endpoints on loopback or private networks (tests, an intranet CDN); off, they are refused, resolved names included.</summary>
    public bool AllowPrivateAddresses { get; set; }

    /// <summary>百度 普通收录 defaults: a 百度推送 endpoint registered without an address is built from these.</summary>
    public string BaiduPushUrl { get; set; } = "http://data.zz.baidu.com/urls";

    public string? BaiduSite { get; set; }

    public string? BaiduToken { get; set; }

    /// <summary>
    /// Days an event and its deliveries stay in the log once every delivery of it has ended (delivered, or failed for
    /// good); then they are deleted. Events still waiting to be sent are kept however old.
    /// </summary>
    [Range(1, 3650)]
    public int RetentionDays { get; set; } = 90;
}
