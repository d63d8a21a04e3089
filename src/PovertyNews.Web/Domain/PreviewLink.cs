using System.Security.Cryptography;

namespace PovertyNews.Web.Domain;

/// <summary>
/// 预览链接: a link that shows one saved version of an article, before publication, to whoever holds it (a source
/// checking a quote, a leader approving from a phone), until it expires or is revoked.
/// </summary>
/// <remarks>
/// The token is 256 random bits (URL-safe Base64), found by an exact match on a unique index: it cannot be guessed
/// or derived, and expiry and revocation are checked on every request, so a link stops working the moment it is
/// revoked (a self-contained signed token could only be refused after revocation by a lookup like this one anyway).
/// It is stored as it is, so the newsroom can copy the link again: whoever can read the table can read the drafts
/// it points to.
/// </remarks>
public class PreviewLink
{
    public const int TokenBytes = 32;
    public static readonly TimeSpan MaxLifetime = TimeSpan.FromDays(30);

    public int Id { get; set; }
    public int ArticleId { get; set; }
    /// <summary>The revision shown, by its number within the article (历史版本 第 n 版).</summary>
    public int RevisionNumber { get; set; }
    public string Token { get; set; } = "";
    public string CreatedById { get; set; } = "";
    public string CreatedByName { get; set; } = "";
    public DateTime CreatedAt { get; set; }
    public DateTime ExpiresAt { get; set; }
    public DateTime? RevokedAt { get; set; }
    public string? RevokedByName { get; set; }

    public static PreviewLink Create(int articleId, int revisionNumber, string userId, string userName, DateTime now, TimeSpan lifetime)
    {
        if (lifetime <= TimeSpan.Zero || lifetime > MaxLifetime)
        {
            throw new ArgumentOutOfRangeException(nameof(lifetime), lifetime, $"a preview link lives up to {MaxLifetime.TotalDays} days");
        }
        return new PreviewLink
        {
            ArticleId = articleId,
            RevisionNumber = revisionNumber,
            Token = Base64Url(RandomNumberGenerator.GetBytes(TokenBytes)),
            CreatedById = userId,
            CreatedByName = userName,
            CreatedAt = now,
            ExpiresAt = now + lifetime,
        };
    }

    public bool IsUsableAt(DateTime now) => RevokedAt is null && now < ExpiresAt;

    /// <summary>Revokes the link; false when it was revoked already.</summary>
    public bool Revoke(string userName, DateTime now)
    {
        if (RevokedAt is not null)
        {
            return false;
        }
        RevokedAt = now;
        RevokedByName = userName;
        return true;
    }

    /// <summary>Whether <paramref name="token"/> has the shape of a token (checked before any lookup).</summary>
    public static bool LooksLikeToken(string? token) =>
        token is { Length: 43 } && token.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_');

    private static string Base64Url(byte[] bytes) =>
        Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
