using DiffPlex.DiffBuilder;
using DiffPlex.DiffBuilder.Model;
using PovertyNews.Web.Domain;

namespace PovertyNews.Web.Newsroom.Articles;

/// <summary>
/// An article's content as lines of text — its fields, a blank line, then the Markdown body — so two versions can be
/// compared line by line.
/// </summary>
public static class ArticleText
{
    public static string Of(ArticleInput input, Func<int?, string> channelName, bool withKind)
    {
        var lines = new List<string>
        {
            "标题：" + input.Title,
            "副标题：" + input.Subtitle,
            "摘要：" + (ArticleInput.Clean(input.Summary) is { } summary ? OneLine(summary) : "（自动）"),
            "栏目：" + channelName(input.ChannelId),
            "标签：" + ArticleInput.JoinTags(input.TagList()),
            "来源：" + input.Source,
            "转自：" + input.ReprintedFrom,
            "作者：" + input.Author,
            "责任编辑：" + input.ResponsibleEditor,
            "新闻热线：" + input.ContactHotline,
            "微信公众号：" + input.ContactWeChat,
            "封面图：" + input.CoverImageUrl,
            "封面说明：" + input.CoverImageAlt,
        };
        if (withKind)
        {
            lines.Add("类型：" + input.Kind switch { ArticleKind.Video => "视频", ArticleKind.Gallery => "图集", _ => "文章" });
            lines.Add("视频地址：" + input.VideoUrl);
            lines.Add("视频封面：" + input.VideoPosterUrl);
        }
        if (ArticleInput.Clean(input.CorrectionNote) is { } correction)
        {
            lines.Add("更正说明：" + OneLine(correction));
        }
        lines.Add("");
        lines.Add(ArticleEditor.NormalizeBody(input.Body));
        return string.Join('\n', lines);
    }

    public static string Of(ArticleRevision revision, Func<int?, string> channelName) =>
        Of(ArticleInput.FromRevision(revision), channelName, withKind: false);

    private static string OneLine(string? value) => (value ?? "").ReplaceLineEndings(" ");
}

/// <summary>A line of a diff as the pages show it; <see cref="Kind"/> is also the CSS modifier.</summary>
public sealed record DiffLine(string Kind, int? Number, string Text)
{
    public const string Unchanged = "unchanged";
    public const string Inserted = "inserted";
    public const string Deleted = "deleted";
    public const string Modified = "modified";
    public const string Empty = "empty";

    public string Marker => Kind switch
    {
        Inserted => "+",
        Deleted => "−",
        Modified => "±",
        _ => "",
    };
}

/// <summary>One row of a diff: a line, or (when <see cref="Skipped"/> &gt; 0) a run of unchanged lines left out.</summary>
public sealed record DiffRow(DiffLine? Left, DiffLine? Right, int Skipped = 0);

/// <summary>Line diffs with DiffPlex; long runs of unchanged lines are folded, keeping some context around changes.</summary>
public sealed class TextDiff
{
    private const int Context = 3;

    public required IReadOnlyList<DiffRow> Rows { get; init; }
    public int Added { get; init; }
    public int Removed { get; init; }
    public bool HasChanges => Added > 0 || Removed > 0;

    /// <summary>One column: deleted lines of <paramref name="oldText"/> and inserted lines of <paramref name="newText"/>.</summary>
    public static TextDiff Inline(string oldText, string newText)
    {
        var model = InlineDiffBuilder.Diff(oldText, newText, ignoreWhiteSpace: false, ignoreCase: false);
        var rows = model.Lines.Select(p => new DiffRow(Line(p), null)).ToList();
        return new TextDiff
        {
            Rows = Fold(rows, r => r.Left!.Kind == DiffLine.Unchanged),
            Added = model.Lines.Count(l => l.Type == ChangeType.Inserted),
            Removed = model.Lines.Count(l => l.Type == ChangeType.Deleted),
        };
    }

    /// <summary>Two columns, lines aligned: <paramref name="oldText"/> on the left, <paramref name="newText"/> on the right.</summary>
    public static TextDiff SideBySide(string oldText, string newText)
    {
        var model = SideBySideDiffBuilder.Diff(oldText, newText, ignoreWhiteSpace: false, ignoreCase: false);
        var count = Math.Max(model.OldText.Lines.Count, model.NewText.Lines.Count);
        var rows = new List<DiffRow>(count);
        for (var i = 0; i < count; i++)
        {
            rows.Add(new DiffRow(
                i < model.OldText.Lines.Count ? Line(model.OldText.Lines[i]) : null,
                i < model.NewText.Lines.Count ? Line(model.NewText.Lines[i]) : null));
        }
        return new TextDiff
        {
            Rows = Fold(rows, r => r.Left?.Kind == DiffLine.Unchanged && r.Right?.Kind == DiffLine.Unchanged),
            Added = model.NewText.Lines.Count(l => l.Type is ChangeType.Inserted or ChangeType.Modified),
            Removed = model.OldText.Lines.Count(l => l.Type is ChangeType.Deleted or ChangeType.Modified),
        };
    }

    private static DiffLine Line(DiffPiece piece) => new(piece.Type switch
    {
        ChangeType.Inserted => DiffLine.Inserted,
        ChangeType.Deleted => DiffLine.Deleted,
        ChangeType.Modified => DiffLine.Modified,
        ChangeType.Imaginary => DiffLine.Empty,
        _ => DiffLine.Unchanged,
    }, piece.Position, piece.Text ?? "");

    private static List<DiffRow> Fold(List<DiffRow> rows, Func<DiffRow, bool> unchanged)
    {
        var result = new List<DiffRow>(rows.Count);
        var i = 0;
        while (i < rows.Count)
        {
            if (!unchanged(rows[i]))
            {
                result.Add(rows[i++]);
                continue;
            }
            var start = i;
            while (i < rows.Count && unchanged(rows[i]))
            {
                i++;
            }
            var keepBefore = start == 0 ? 0 : Context;
            var keepAfter = i == rows.Count ? 0 : Context;
            var length = i - start;
            if (length <= keepBefore + keepAfter + 1)
            {
                result.AddRange(rows.GetRange(start, length));
                continue;
            }
            result.AddRange(rows.GetRange(start, keepBefore));
            result.Add(new DiffRow(null, null, length - keepBefore - keepAfter));
            result.AddRange(rows.GetRange(i - keepAfter, keepAfter));
        }
        return result;
    }
}

/// <summary>The diff partial's model: one column when <see cref="RightTitle"/> is null, else two.</summary>
public sealed record DiffTable(TextDiff Diff, string LeftTitle, string? RightTitle = null);
