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

    private sealed record Issued(long Second, string Stamp);

    private Issued? _last;

    /// <summary>
    /// The stamp for now, to the second. Within one second the same stamp is handed out again, so two renders of a
    /// page moments apart (one per content coding, say) are byte for byte the same, as pages without a form are.
    /// </summary>
    public string Issue()
    {
        var second = time.GetUtcNow().ToUnixTimeSeconds();
        if (Volatile.Read(ref _last) is { } last && last.Second == second)
        {
            return last.Stamp;
        }
        var issued = new Issued(second, _protector.Protect(second.ToString(CultureInfo.InvariantCulture)));
        Volatile.Write(ref _last, issued);
        return issued.Stamp;
    }

    public enum Verdict { Valid, Missing, TooFast, Expired }

    public Verdict Check(string? stamp)
    {
        if (string.IsNullOrEmpty(stamp))
        {
            return Verdict.Missing;
        }
        long second;
        try
        {
            if (!long.TryParse(_protector.Unprotect(stamp), NumberStyles.None, CultureInfo.InvariantCulture, out second))
            {
                return Verdict.Missing;
            }
        }
        catch (CryptographicException)
        {
            return Verdict.Missing;
        }
        // The stamp is the second the form was rendered in, rounded down: up to a second of slack in the person's favour.
        var age = time.GetUtcNow() - DateTimeOffset.FromUnixTimeSeconds(second);
        var settings = options.Value;
        return age < TimeSpan.FromSeconds(settings.MinSecondsBeforePost) ? Verdict.TooFast
            : age > settings.MaxFormAge ? Verdict.Expired
            : Verdict.Valid;
    }
}
