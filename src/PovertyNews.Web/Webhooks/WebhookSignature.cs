using System.Security.Cryptography;
using System.Text;

namespace PovertyNews.Web.Webhooks;

/// <summary>
/// The signature header, as Stripe signs: <c>t=&lt;unix seconds&gt;,v1=&lt;hex HMAC-SHA256 of "{t}.{body}"&gt;</c> with the
/// endpoint's secret. The timestamp inside the signed text lets a receiver refuse a replayed old request.
/// </summary>
public static class WebhookSignature
{
    public const string EventHeader = "X-PovertyNews-Event";
    public const string DeliveryHeader = "X-PovertyNews-Delivery";
    public const string SignatureHeader = "X-PovertyNews-Signature";

    public static string Sign(string secret, long timestamp, string body)
    {
        var mac = HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), Encoding.UTF8.GetBytes($"{timestamp}.{body}"));
        return $"t={timestamp},v1={Convert.ToHexStringLower(mac)}";
    }

    /// <summary>What a receiver does: the header parses, the timestamp is recent, and some v1 matches in constant time.</summary>
    public static bool Verify(string secret, string header, string body, DateTimeOffset now, TimeSpan tolerance)
    {
        long? timestamp = null;
        var signatures = new List<string>();
        foreach (var part in header.Split(',', StringSplitOptions.TrimEntries))
        {
            if (part.StartsWith("t=", StringComparison.Ordinal) && long.TryParse(part[2..], out var t))
            {
                timestamp = t;
            }
            else if (part.StartsWith("v1=", StringComparison.Ordinal))
            {
                signatures.Add(part[3..]);
            }
        }
        if (timestamp is not { } ts || Math.Abs(now.ToUnixTimeSeconds() - ts) > tolerance.TotalSeconds)
        {
            return false;
        }
        var mine = Sign(secret, ts, body);
        var expected = Encoding.ASCII.GetBytes(mine[(mine.IndexOf("v1=", StringComparison.Ordinal) + 3)..]);
        return signatures.Any(s => CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(s), expected));
    }

    /// <summary>A new endpoint secret: 32 random bytes, shown to the administrator once.</summary>
    public static string NewSecret() => "whsec_" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32));
}
