namespace PovertyNews.Web.Newsroom.BulkActions;

public enum BulkAction
{
    /// <summary>移动到频道.</summary>
    Move,
    AddTag,
    RemoveTag,

    /// <summary>撤稿, with one reason for all.</summary>
    Withdraw,

    /// <summary>删除 (移入回收站).</summary>
    Recycle,
}

/// <summary>What the action bar posts: the selected reports and the action with its one parameter.</summary>
public sealed class BulkRequest
{
    public BulkAction? Action { get; set; }
    public List<int> Ids { get; set; } = [];
    public int? ChannelId { get; set; }
    public string? Tag { get; set; }
    public string? Reason { get; set; }
}

public enum BulkOutcome
{
    Done,

    /// <summary>A report whose text passed review: the change was saved as a pending version and sent to review.</summary>
    Staged,

    /// <summary>Nothing to do (already in that channel, already has the tag…).</summary>
    Unchanged,
    Refused,
}

public sealed record BulkItem(int Id, string? Title, BulkOutcome Outcome, string? Reason);

/// <summary>
/// What one bulk action did: the counts, and for the reports not done (refused, or nothing to do) which and why — at
/// most <see cref="MaxNotes"/> of them, so the report fits in the redirect's temporary data.
/// </summary>
public sealed record BulkReport(BulkAction Action, int Done, int Staged, int Unchanged, int Refused, IReadOnlyList<BulkItem> Notes)
{
    public const int MaxNotes = 30;

    public static BulkReport Of(BulkAction action, IReadOnlyList<BulkItem> items) => new(action,
        items.Count(i => i.Outcome == BulkOutcome.Done), items.Count(i => i.Outcome == BulkOutcome.Staged),
        items.Count(i => i.Outcome == BulkOutcome.Unchanged), items.Count(i => i.Outcome == BulkOutcome.Refused),
        [.. items.Where(i => i.Outcome is BulkOutcome.Refused or BulkOutcome.Unchanged)
            .OrderBy(i => i.Outcome == BulkOutcome.Refused ? 0 : 1).Take(MaxNotes)]);

    /// <summary>Reports not done beyond those listed in <see cref="Notes"/>.</summary>
    public int Unlisted => Refused + Unchanged - Notes.Count;

    public static string Verb(BulkAction action) => action switch
    {
        BulkAction.Move => "已移动",
        BulkAction.AddTag => "已添加标签",
        BulkAction.RemoveTag => "已移除标签",
        BulkAction.Withdraw => "已撤稿",
        _ => "已移入回收站",
    };

    /// <summary>"3 篇已移动；2 篇已通过审核的稿件改为待审修改并已送审…；1 篇无需处理；2 篇未处理。"</summary>
    public string Summary
    {
        get
        {
            var parts = new List<string>();
            if (Done > 0 || Staged + Unchanged + Refused == 0)
            {
                parts.Add($"{Done} 篇{Verb(Action)}");
            }
            if (Staged > 0)
            {
                parts.Add($"{Staged} 篇已通过审核的稿件改为待审修改并已送审，通过后生效");
            }
            if (Unchanged > 0)
            {
                parts.Add($"{Unchanged} 篇无需处理");
            }
            if (Refused > 0)
            {
                parts.Add($"{Refused} 篇未处理");
            }
            return string.Join("；", parts) + "。";
        }
    }
}
