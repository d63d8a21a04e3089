using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using PovertyNews.Web.Data;
using PovertyNews.Web.Domain;
using PovertyNews.Web.Newsroom;
using PovertyNews.Web.Newsroom.Accounts;
using PovertyNews.Web.Newsroom.Access;
using PovertyNews.Web.Newsroom.Calendar;
using PovertyNews.Web.Newsroom.Analytics;

namespace PovertyNews.Web.Pages.Admin;

/// <summary>
/// 工作台: what waits for the signed-in person. Reporters see their own articles; editorial staff see the whole
/// newsroom and the articles whose next review level is theirs to pass.
/// </summary>
public class IndexModel(NewsDbContext db, TimeProvider time, IOptions<NewsroomOptions> options, ArticleAccess access,
    CalendarQuery calendar, ReadStatistics stats, IAuthorizationService authorization) : PageModel
{
    public const int ListSize = 10;

    public sealed record Item(
        int Id, string Title, string ChannelName, ArticleStatus Status, int ReviewLevel,
        DateTime UpdatedAt, DateTime? PublishedAt, DateTime? WithdrawnAt, string? OwnerName, string? Note);

    public bool CanWrite { get; private set; }
    public bool IsEditorial { get; private set; }
    public IReadOnlyList<Item> Drafts { get; private set; } = [];
    public IReadOnlyList<Item> ToReview { get; private set; } = [];
    public IReadOnlyList<Item> Scheduled { get; private set; } = [];
    public IReadOnlyList<Item> RecentlyPublished { get; private set; } = [];
    public IReadOnlyList<Item> RecentlyWithdrawn { get; private set; } = [];

    /// <summary>Reports still to go out today (China Standard Time): the morning's question, answered in full by 排期.</summary>
    public int PendingToday { get; private set; }

    /// <summary>昨日阅读, for those who may open 传播数据: yesterday's reads, the day before's, and the most read.</summary>
    public sealed record ReadsSummary(ReadPeriod Yesterday, long Reads, long DayBefore, IReadOnlyList<ArticleReads> Top);

    public const int TopReadCount = 3;

    public ReadsSummary? Reads { get; private set; }

    /// <summary>The newest unread notifications (消息), the first thing that waits.</summary>
    public sealed record Unread(long Id, int? ArticleId, string Text, DateTime CreatedAt);

    public const int UnreadShown = 5;

    public IReadOnlyList<Unread> UnreadNotifications { get; private set; } = [];

    public async Task OnGetAsync(CancellationToken ct)
    {
        ViewData["Title"] = "工作台";
        ViewData["AdminSection"] = "dashboard";
        var actor = User.ToActor();
        UnreadNotifications = await db.Notifications.AsNoTracking().Where(n => n.UserId == actor.UserId && n.ReadAt == null)
            .OrderByDescending(n => n.Id).Take(UnreadShown).Select(n => new Unread(n.Id, n.ArticleId, n.Text, n.CreatedAt)).ToListAsync(ct);
        CanWrite = actor.CanWrite;
        IsEditorial = actor.IsEditorial;
        if ((await authorization.AuthorizeAsync(User, AccessPolicies.Analysts)).Succeeded)
        {
            // What an editor coming in in the morning wants first: how yesterday's reports were read.
            var yesterday = ReadPeriod.Preset(ReadPeriod.Yesterday, stats.Today);
            Reads = new ReadsSummary(yesterday, await stats.TotalAsync(yesterday, null, ct),
                await stats.TotalAsync(yesterday.Previous, null, ct), await stats.TopArticlesAsync(yesterday, null, TopReadCount, ct));
        }
        if (!CanWrite)
        {
            return;
        }
        var me = actor.UserId;
        var now = time.GetUtcNow().UtcDateTime;
        var mine = db.Articles.AsNoTracking().Where(a => a.OwnerId == me);
        // The blocks list what the access policy lets this person open, as the article list and the search do.
        var scope = (await access.ScopeAsync(actor)).Apply(db.Articles.AsNoTracking(), now);

        Drafts = await ListAsync(mine.Where(a => a.Status == ArticleStatus.Draft).OrderByDescending(a => a.UpdatedAt), ct);
        if (IsEditorial)
        {
            var review = AwaitingMyReview(actor);
            if (await access.WritableChannelsAsync(actor) is { } desk)
            {
                var channels = desk.ToList();
                review = review.Where(a => channels.Contains(a.ChannelId));
            }
            ToReview = await ListAsync(review.OrderBy(a => a.UpdatedAt), ct);
        }
        PendingToday = await calendar.PendingTodayAsync(actor, ct);
        Scheduled = await ListAsync(scope.Where(a => a.Status == ArticleStatus.Scheduled).OrderBy(a => a.PublishedAt), ct);
        RecentlyPublished = await ListAsync(scope.Where(Article.VisibleAt(now)).OrderByDescending(a => a.PublishedAt), ct);
        RecentlyWithdrawn = await ListAsync(scope.Where(a => a.Status == ArticleStatus.Withdrawn).OrderByDescending(a => a.WithdrawnAt), ct);
    }

    /// <summary>
    /// In review, the next level is this person's (the last level is the editor-in-chief's), and they have not passed
    /// the article at another level since it was last submitted.
    /// </summary>
    private IQueryable<Article> AwaitingMyReview(Actor actor)
    {
        var me = actor.UserId;
        var levels = options.Value.ReviewLevels;
        var query = db.Articles.AsNoTracking().Where(a => a.Status == ArticleStatus.Submitted || a.Status == ArticleStatus.InReview);
        if (!actor.IsIn(NewsRoles.EditorInChief))
        {
            query = query.Where(a => a.ReviewLevel + 1 < levels);
        }
        // A pass counts since the last submission when no submission came after it.
        return query.Where(a => !a.Reviews.Any(r => r.Action == ReviewAction.Pass && r.UserId == me
            && !a.Reviews.Any(s => s.Action == ReviewAction.Submit && s.At > r.At)));
    }

    /// <summary>
    /// The first few as list items. <see cref="Item.Note"/> is the withdrawal reason of a withdrawn article and the
    /// reason of a draft that came back from review.
    /// </summary>
    private Task<List<Item>> ListAsync(IQueryable<Article> query, CancellationToken ct) => query.Take(ListSize)
        .Select(a => new Item(a.Id, a.Title, a.Channel!.Name, a.Status, a.ReviewLevel, a.UpdatedAt, a.PublishedAt, a.WithdrawnAt,
            db.Users.Where(u => u.Id == a.OwnerId).Select(u => u.DisplayName).FirstOrDefault(),
            a.Status == ArticleStatus.Withdrawn ? a.WithdrawalReason
                : a.Status == ArticleStatus.Draft ? a.Reviews.OrderByDescending(r => r.At).ThenByDescending(r => r.Id)
                    .Select(r => r.Action == ReviewAction.SendBack ? r.Note : null).FirstOrDefault()
                : null))
        .ToListAsync(ct);
}
