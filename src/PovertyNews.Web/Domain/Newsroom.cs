namespace PovertyNews.Web.Domain;

/// <summary>The newsroom's roles. The names are stored; <see cref="DisplayName"/> is what people read.</summary>
public static class NewsRoles
{
    public const string Administrator = "Administrator";
    public const string EditorInChief = "EditorInChief";
    public const string Editor = "Editor";
    public const string Reporter = "Reporter";

    public static readonly IReadOnlyList<string> All = [Administrator, EditorInChief, Editor, Reporter];

    /// <summary>Who arranges the front page and sidebars (版面编排), in the form [Authorize(Roles = …)] takes.</summary>
    public const string Curators = Editor + "," + EditorInChief + "," + Administrator;

    /// <summary>Roles that write articles, in the form [Authorize(Roles = …)] takes; administrators alone do not.</summary>
    public const string Writers = Reporter + "," + Editor + "," + EditorInChief;

    public static string DisplayName(string role) => role switch
    {
        Administrator => "管理员",
        EditorInChief => "总编辑",
        Editor => "编辑",
        Reporter => "记者",
        _ => role,
    };

    /// <summary>"管理员、编辑", or "（无）".</summary>
    public static string Display(IEnumerable<string> roles) =>
        roles.Any() ? string.Join("、", roles.Select(DisplayName)) : "（无）";

    /// <summary>The known roles among <paramref name="posted"/>, in canonical order; false when any is unknown.</summary>
    public static bool TryNormalize(IEnumerable<string>? posted, out List<string> roles)
    {
        var list = (posted ?? []).Where(r => !string.IsNullOrWhiteSpace(r)).ToList();
        roles = All.Where(r => list.Contains(r, StringComparer.Ordinal)).ToList();
        return list.All(r => All.Contains(r, StringComparer.Ordinal));
    }

    /// <summary>Accepts the stored name or the Chinese one (for the create-user command).</summary>
    public static string? Parse(string value) =>
        All.FirstOrDefault(r => string.Equals(r, value, StringComparison.OrdinalIgnoreCase) || DisplayName(r) == value);
}

/// <summary>Who is acting: enough of the signed-in user for the domain's rules and the records.</summary>
public sealed record Actor(string UserId, string Name, IReadOnlySet<string> Roles)
{
    public bool IsIn(string role) => Roles.Contains(role);

    public bool IsEditorial => IsIn(NewsRoles.EditorInChief) || IsIn(NewsRoles.Editor);

    public bool CanWrite => IsEditorial || IsIn(NewsRoles.Reporter);

    public bool CanCurate => IsEditorial || IsIn(NewsRoles.Administrator);
}

/// <summary>三审: which role may pass which review level.</summary>
public static class ReviewLevels
{
    public const int Maximum = 3;

    public static string Name(int level) => level switch
    {
        1 => "初审",
        2 => "复审",
        3 => "终审",
        _ => "审核",
    };

    /// <summary>
    /// The last level always belongs to the editor-in-chief; the levels before it to editors or the editor-in-chief.
    /// With a single level, that level is the final one.
    /// </summary>
    public static bool CanPass(Actor actor, int level, int levels) =>
        level >= levels ? actor.IsIn(NewsRoles.EditorInChief) : actor.IsEditorial;

    /// <summary>
    /// A change of reviewed text passes <paramref name="levels"/> levels. When that is the full chain its last level
    /// is the editor-in-chief's, as for a new report; a shorter chain (a 更正 configured to need one level) may be
    /// passed by any editor — never by one of the change's authors, which the article checks.
    /// </summary>
    public static bool CanPassChange(Actor actor, int level, int levels, int fullLevels) =>
        level >= levels && levels >= fullLevels ? actor.IsIn(NewsRoles.EditorInChief) : actor.IsEditorial;
}

public enum ReviewAction
{
    Create = 0,
    Submit = 1,
    Pass = 2,
    SendBack = 3,
    Publish = 4,
    Schedule = 5,
    Correct = 6,
    Withdraw = 7,
    PublishedOnSchedule = 8,
    Reschedule = 9,
    CancelSchedule = 10,
    PublishNow = 11,
    ReturnToDraft = 12,
    ReviewRestarted = 13,
    ChangeStarted = 14,
    ChangeSubmitted = 15,
    ChangePassed = 16,
    ChangeSentBack = 17,
    ChangeApplied = 18,
    ChangeDiscarded = 19,
    ChangeRestarted = 20,
    ScheduleHeld = 21,
    SetOffline = 22,
    CancelOffline = 23,
    WentOffline = 24,
    Recycle = 25,
    Restore = 26,
    SetEmbargo = 27,
    LiftEmbargo = 28,
}

/// <summary>One step of an article's way through the newsroom: who, when, what and why.</summary>
public class ArticleReview
{
    public long Id { get; set; }
    public int ArticleId { get; set; }
    public ReviewAction Action { get; set; }

    /// <summary>The review level passed, for <see cref="ReviewAction.Pass"/>.</summary>
    public int Level { get; set; }

    public string? UserId { get; set; }
    public string UserName { get; set; } = "";
    public DateTime At { get; set; }
    public string? Note { get; set; }

    /// <summary>
    /// For a pass and a release: the SHA-256 of the <see cref="ApprovalText"/> that was passed or went out, so the
    /// 稿签 can prove what each level saw. Null for records older than the 稿签 and for other actions.
    /// </summary>
    public string? TextSha256 { get; set; }

    /// <summary>The latest revision when <see cref="TextSha256"/> was taken: the text to compare with later.</summary>
    public int? RevisionNumber { get; set; }

    public static string ActionName(ReviewAction action, int level) => action switch
    {
        ReviewAction.Create => "创建",
        ReviewAction.Submit => "送审",
        ReviewAction.Pass => $"{ReviewLevels.Name(level)}通过",
        ReviewAction.SendBack => "退回",
        ReviewAction.Publish => "发布",
        ReviewAction.Schedule => "定时发布",
        ReviewAction.Correct => "更正",
        ReviewAction.Withdraw => "撤稿",
        ReviewAction.PublishedOnSchedule => "到时发布",
        ReviewAction.Reschedule => "改期",
        ReviewAction.CancelSchedule => "取消定时",
        ReviewAction.PublishNow => "立即发布",
        ReviewAction.ReturnToDraft => "退回草稿",
        ReviewAction.ReviewRestarted => "修改后重新审核",
        ReviewAction.ChangeStarted => "修改（待审）",
        ReviewAction.ChangeSubmitted => "修改送审",
        ReviewAction.ChangePassed => $"修改{ReviewLevels.Name(level)}通过",
        ReviewAction.ChangeSentBack => "修改退回",
        ReviewAction.ChangeApplied => "修改生效",
        ReviewAction.ChangeDiscarded => "放弃修改",
        ReviewAction.ChangeRestarted => "修改后重新审核修改",
        ReviewAction.ScheduleHeld => "到时发布被拦截",
        ReviewAction.SetOffline => "设定下线时间",
        ReviewAction.CancelOffline => "取消下线",
        ReviewAction.WentOffline => "到时下线",
        ReviewAction.Recycle => "删除（移入回收站）",
        ReviewAction.Restore => "从回收站恢复",
        ReviewAction.SetEmbargo => "设定禁发",
        ReviewAction.LiftEmbargo => "解除禁发",
        _ => action.ToString(),
    };
}

/// <summary>A newsroom rule was broken; the message is shown to the person who tried, in Chinese.</summary>
public sealed class WorkflowException(string message) : Exception(message);
