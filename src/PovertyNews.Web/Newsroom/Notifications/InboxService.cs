using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using PovertyNews.Web.Common;
using PovertyNews.Web.Data;
using PovertyNews.Web.Domain;

namespace PovertyNews.Web.Newsroom.Notifications;

/// <summary>One person's choice for one kind, as the preferences form posts it.</summary>
public sealed record PreferenceChoice(NotificationKind Kind, bool InApp, bool Email);

/// <summary>
/// The writes of a person's inbox (消息): reading and deleting their own notifications, and their choice of what
/// reaches them. Every method takes the signed-in person's id; a notification of anyone else is not found.
/// </summary>
public sealed class InboxService(NewsDbContext db, AuditLog audit, TimeProvider time, IOptions<EmailOptions> email, ILogger<InboxService> logger)
{
    public const string PreferencesChanged = "notification.preferences-changed";
    public const string NotFoundMessage = "没有这条消息。";

    public static readonly IReadOnlyList<NotificationKind> Kinds = Enum.GetValues<NotificationKind>();

    /// <summary>The kind as the preferences page and the inbox's filter name it.</summary>
    public static string KindLabel(NotificationKind kind) => kind switch
    {
        NotificationKind.ReviewWaiting => "有稿件等我审核",
        NotificationKind.SentBack => "我的稿件被退回",
        NotificationKind.Published => "我的稿件发布",
        NotificationKind.Corrected => "我的稿件被更正或修改生效",
        NotificationKind.SavedSearchMatch => "保存的检索有新稿件",
        _ => kind.ToString(),
    };

    public async Task<Result> MarkReadAsync(string userId, long id, CancellationToken ct)
    {
        var notification = await db.Notifications.SingleOrDefaultAsync(n => n.Id == id && n.UserId == userId, ct);
        if (notification is null)
        {
            return Result.NotFound(NotFoundMessage);
        }
        if (notification.ReadAt is not null)
        {
            return Result.Unchanged();
        }
        notification.ReadAt = time.GetUtcNow().UtcDateTime;
        await db.SaveChangesAsync(ct);
        return Result.Done("已标为已读。");
    }

    public async Task<Result> MarkAllReadAsync(string userId, CancellationToken ct)
    {
        var now = time.GetUtcNow().UtcDateTime;
        var count = await db.Notifications.Where(n => n.UserId == userId && n.ReadAt == null)
            .ExecuteUpdateAsync(s => s.SetProperty(n => n.ReadAt, now), ct);
        return count == 0 ? Result.Unchanged("没有未读消息。") : Result.Done($"已将 {count} 条消息标为已读。");
    }

    public async Task<Result> DeleteAsync(string userId, long id, CancellationToken ct)
    {
        var count = await db.Notifications.Where(n => n.Id == id && n.UserId == userId).ExecuteDeleteAsync(ct);
        return count == 0 ? Result.NotFound(NotFoundMessage) : Result.Done("已删除这条消息。");
    }

    /// <summary>Whether e-mail can be chosen: a configured SMTP server and an address on the account; otherwise why not.</summary>
    public async Task<string?> EmailUnavailableReasonAsync(string userId, CancellationToken ct)
    {
        if (!email.Value.Enabled)
        {
            return "管理员尚未配置发信服务器（SMTP），暂时只能在站内接收消息。";
        }
        var address = await db.Users.AsNoTracking().Where(u => u.Id == userId).Select(u => u.Email).SingleOrDefaultAsync(ct);
        return string.IsNullOrWhiteSpace(address) ? "您的账户没有电子邮件地址，不能接收邮件通知。" : null;
    }

    /// <summary>Saves every kind's choice; a kind left out keeps its current choice.</summary>
    public async Task<Result> SavePreferencesAsync(string userId, IReadOnlyList<PreferenceChoice> choices, CancellationToken ct)
    {
        if (choices.Any(c => !Kinds.Contains(c.Kind)) || choices.DistinctBy(c => c.Kind).Count() != choices.Count)
        {
            return Result.Refused("通知设置的内容无法识别，请刷新页面后重试。");
        }
        if (choices.Any(c => c.Email) && await EmailUnavailableReasonAsync(userId, ct) is { } reason)
        {
            return Result.Refused(reason);
        }
        var current = await db.NotificationPreferences.Where(p => p.UserId == userId).ToDictionaryAsync(p => p.Kind, ct);
        var changes = new List<string>();
        foreach (var choice in choices)
        {
            var (inApp, mail) = Notifier.Deliveries(current.GetValueOrDefault(choice.Kind));
            if (inApp == choice.InApp && mail == choice.Email)
            {
                continue;
            }
            if (current.TryGetValue(choice.Kind, out var row))
            {
                (row.InApp, row.Email) = (choice.InApp, choice.Email);
            }
            else
            {
                db.NotificationPreferences.Add(new NotificationPreference { UserId = userId, Kind = choice.Kind, InApp = choice.InApp, Email = choice.Email });
            }
            changes.Add($"{KindLabel(choice.Kind)}：站内{(choice.InApp ? "开" : "关")}，邮件{(choice.Email ? "开" : "关")}");
        }
        if (changes.Count == 0)
        {
            return Result.Unchanged("通知设置没有变化。");
        }
        audit.Add(PreferencesChanged, $"user:{userId}", string.Join("；", changes));
        await db.SaveChangesAsync(ct);
        logger.LogInformation("Notification preferences of {UserId} changed for {Changed} kinds", userId, changes.Count);
        return Result.Done("已保存通知设置。");
    }
}
