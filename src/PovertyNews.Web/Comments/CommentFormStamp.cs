using System.Globalization;
using System.Security.Cryptography;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.Options;

namespace PovertyNews.Web.Comments;

/// <summary>
/// The form's "rendered at" stamp, signed with Data Protection (keys in the database, so any node reads any node's
/// stamp). The time is the app's <see cref="TimeProvider"/>'s, not the protector's own clock, so the check is the
/// same one tests drive. The stamp says nothing about the reader: a cached page hands the same stamp to everyone.
/// </summary>
public sealed class CommentFormStamp(IDataProtectionProvider protection, TimeProvider time, IOptions<CommentOptions> options)
{
    private readonly IDataProtector _protector = protection.CreateProtector("PovertyNews.Comments.FormStamp.v1");

    public string Issue() =>
        _protector.Protect(time.GetUtcNow().UtcTicks.ToString(CultureInfo.InvariantCulture));

    public enum Verdict { Valid, Missing, TooFast, Expired }

    public Verdict Check(string? stamp)
    {
        if (string.IsNullOrEmpty(stamp))
        {
            return Verdict.Missing;
        }
        long ticks;
        try
        {
            if (!long.TryParse(_protector.Unprotect(stamp), NumberStyles.None, CultureInfo.InvariantCulture, out ticks))
            {
                return Verdict.Missing;
            }
        }
        catch (CryptographicException)
        {
            return Verdict.Missing;
        }
        var age = time.GetUtcNow().UtcTicks - ticks;
        var settings = options.Value;
        return age < TimeSpan.FromSeconds(settings.MinSecondsBeforePost).Ticks ? Verdict.TooFast
            : age > settings.MaxFormAge.Ticks ? Verdict.Expired
            : Verdict.Valid;
    }
}
