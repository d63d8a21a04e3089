using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using PovertyNews.Web.Common;
using PovertyNews.Web.Data;
using PovertyNews.Web.Domain;
using PovertyNews.Web.Newsroom.Access;

namespace PovertyNews.Web.Newsroom.Notifications;

/// <summary>
/// Adds notifications (and their e-mails, to the outbox) to the caller's unit of work, so they are saved with the
/// event they tell of or not at all. Each recipient's <see cref="NotificationPreference"/> decides: a missing row is
/// the inbox without e-mail. E-mail is queued only when an SMTP server is configured and the person has an address.
/// </summary>
public sealed class Notifier(NewsDbContext db, IOptions<EmailOptions> email, IConfiguration configuration,
    IHttpContextAccessor http, TimeProvider time, ILogger<Notifier> logger)
{
    /// <summary>What the inbox keeps of a line; the text is cut with an ellipsis beyond it.</summary>
    public const int TextMaxLength = 500;

    /// <summary>
    /// Notifies <paramref name="userIds"/> (the actor, duplicates and disabled people left out) of one event about
    /// <paramref name="articleId"/>. Returns how many people it reached in some way.
    /// </summary>
    public async Task<int> AddAsync(NotificationKind kind, IEnumerable<string?> userIds, int? articleId, string text, Actor? actor,
        CancellationToken ct)
    {
        var ids = userIds.OfType<string>().Where(id => id.Length > 0 && id != actor?.UserId).Distinct().ToList();
        if (ids.Count == 0)
        {
            return 0;
        }
        var users = await db.Users.AsNoTracking().Where(u => ids.Contains(u.Id) && !u.IsDisabled)
            .Select(u => new { u.Id, u.Email }).ToListAsync(ct);
        var choices = await db.NotificationPreferences.AsNoTracking().Where(p => p.Kind == kind && ids.Contains(p.UserId))
            .ToDictionaryAsync(p => p.UserId, ct);
        var now = time.GetUtcNow().UtcDateTime;
        // One line: a reason typed with line breaks must not break the inbox row or an e-mail's subject.
        text = Shorten(AuditLog.Clean(text, 10_000).Trim(), TextMaxLength);
        var reached = 0;
        foreach (var user in users)
        {
            var (inApp, mail) = Deliveries(choices.GetValueOrDefault(user.Id));
            if (inApp)
            {
                db.Notifications.Add(new Notification
                {
                    UserId = user.Id, Kind = kind, ArticleId = articleId, Text = text, ActorName = actor?.Name, CreatedAt = now,
                });
            }
            var queued = mail && email.Value.Enabled && !string.IsNullOrWhiteSpace(user.Email);
            if (queued)
            {
                db.OutgoingEmails.Add(NotificationMail.Compose(user.Email!, kind, text, articleId, actor?.Name, BaseUrl(), now));
            }
            reached += inApp || queued ? 1 : 0;
        }
        logger.LogInformation("Notification {NotificationKind} on article {ArticleId} for {Recipients} of {Candidates} people",
            kind, articleId, reached, ids.Count);
        return reached;
    }

    /// <summary>What a person receives of a kind: their row, or the default (inbox on, e-mail off).</summary>
    public static (bool InApp, bool Email) Deliveries(NotificationPreference? preference) =>
        preference is null ? (true, false) : (preference.InApp, preference.Email);

    /// <summary>
    /// The enabled editorial staff for whom <paramref name="mayReview"/> holds (the caller's rule, with each one's desk),
    /// other than <paramref name="actor"/>.
    /// </summary>
    public async Task<IReadOnlyList<string>> ReviewersAsync(Func<Actor, Coverage, bool> mayReview, Actor? actor, CancellationToken ct)
    {
        var editorial = new[] { NewsRoles.Editor, NewsRoles.EditorInChief };
        var rows = await db.UserRoles.AsNoTracking()
            .Join(db.Roles, ur => ur.RoleId, r => r.Id, (ur, r) => new { ur.UserId, r.Name })
            .Join(db.Users.Where(u => !u.IsDisabled), x => x.UserId, u => u.Id, (x, u) => new { x.UserId, x.Name, u.DisplayName })
            .ToListAsync(ct);
        var people = rows.GroupBy(r => r.UserId)
            .Where(g => g.Key != actor?.UserId && g.Any(r => editorial.Contains(r.Name)))
            .Select(g => new Actor(g.Key, g.First().DisplayName, g.Select(r => r.Name!).ToHashSet()))
            .ToList();
        if (people.Count == 0)
        {
            return [];
        }
        var ids = people.Select(p => p.UserId).ToList();
        var assigned = (await db.DeskAssignments.AsNoTracking().Where(d => ids.Contains(d.UserId))
            .Select(d => new { d.UserId, d.ChannelId }).ToListAsync(ct)).ToLookup(d => d.UserId, d => d.ChannelId);
        ChannelHierarchy? tree = null;
        if (assigned.Count > 0)
        {
            var channels = await db.Channels.AsNoTracking().Select(c => new { c.Id, c.ParentId }).ToListAsync(ct);
            tree = new ChannelHierarchy(channels.Select(c => (c.Id, c.ParentId)));
        }
        return people.Where(p => mayReview(p, tree is null ? Coverage.Everywhere : Coverage.Of([.. assigned[p.UserId]], tree)))
            .Select(p => p.UserId).ToList();
    }

    /// <summary>
    /// Where links in e-mails point: the configured public address, else the address of the request that caused the
    /// event; null in a background job without either (the mail then names the path alone).
    /// </summary>
    private string? BaseUrl() =>
        configuration[PublicBaseUrlKey] is { Length: > 0 } configured ? configured.Trim().TrimEnd('/')
        : http.HttpContext is { } context ? PublicOrigin.Of(context).BaseUrl
        : null;

    /// <summary>The site's public address (validated at start by the host); read as a key, features do not use the host's options.</summary>
    public const string PublicBaseUrlKey = "PovertyNews:PublicBaseUrl";

    public static string Shorten(string text, int max) => text.Length <= max ? text : text[..(max - 1)] + "…";
}
