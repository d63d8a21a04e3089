using PovertyNews.Web.Domain;

namespace PovertyNews.Web.Newsroom.Notifications;

/// <summary>The e-mail of a notification: a Chinese subject and a short plain-text body with the link to the review page.</summary>
public static class NotificationMail
{
    public const string SubjectPrefix = "【编辑部】";

    public static string KindName(NotificationKind kind) => kind switch
    {
        NotificationKind.ReviewWaiting => "待我审核",
        NotificationKind.SentBack => "稿件被退回",
        NotificationKind.Published => "稿件已发布",
        NotificationKind.Corrected => "稿件已更正",
        NotificationKind.SavedSearchMatch => "检索提醒",
        _ => kind.ToString(),
    };

    /// <summary>The review page of an article, as the newsroom's routes have it (Pages/Admin/Articles/Review).</summary>
    public static string ReviewPath(int articleId) => $"/admin/articles/{articleId}";

    public static OutgoingEmail Compose(string to, NotificationKind kind, string text, int? articleId, string? actorName,
        string? baseUrl, DateTime now)
    {
        var lines = new List<string> { text, "" };
        if (actorName is not null)
        {
            lines.Add($"操作人：{actorName}");
        }
        lines.Add($"时间：{ChinaTime.FormatDateTime(now)}（北京时间）");
        if (articleId is { } id)
        {
            lines.Add("");
            lines.Add("查看稿件：" + (baseUrl ?? "") + ReviewPath(id));
        }
        else if (kind == NotificationKind.SavedSearchMatch)
        {
            lines.Add("");
            lines.Add("查看消息：" + (baseUrl ?? "") + "/admin/inbox");
        }
        lines.Add("");
        lines.Add("—— 这封邮件由编辑部系统自动发送。如不想再收到此类邮件，请在编辑部“消息 · 通知设置”中关闭。");
        return new OutgoingEmail
        {
            To = to,
            Subject = Notifier.Shorten($"{SubjectPrefix}{KindName(kind)}：{text}", 300),
            Body = string.Join("\n", lines),
            CreatedAt = now,
            NextAttemptAt = now,
        };
    }
}
