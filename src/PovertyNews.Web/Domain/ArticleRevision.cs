namespace PovertyNews.Web.Domain;

/// <summary>The article as it was after one save: what an editor compares and can restore.</summary>
public class ArticleRevision
{
    public long Id { get; set; }
    public int ArticleId { get; set; }
    public int Number { get; set; }
    public string Title { get; set; } = "";
    public string? Subtitle { get; set; }
    public string Summary { get; set; } = "";
    public string BodyMarkdown { get; set; } = "";
    public int ChannelId { get; set; }
    public string Tags { get; set; } = "";
    public string? Source { get; set; }
    public string? ReprintedFrom { get; set; }
    public string? Author { get; set; }
    public string? ResponsibleEditor { get; set; }
    public string? ContactHotline { get; set; }
    public string? ContactWeChat { get; set; }
    public string? CoverImageUrl { get; set; }
    public string? CoverImageAlt { get; set; }
    /// <summary>
    /// The 更正 readers see with this version (so a revision holds every field of the text readers see, as
    /// <see cref="ApprovalText"/> hashes it). In a pending version it is the note that comes with the change.
    /// </summary>
    public string? CorrectionNote { get; set; }

    /// <summary>Null in revisions written before these were kept: the article's own kind and video then apply.</summary>
    public ArticleKind? Kind { get; set; }
    public string? VideoUrl { get; set; }
    public string? VideoPosterUrl { get; set; }

    public string? UserId { get; set; }
    public string UserName { get; set; } = "";
    public DateTime At { get; set; }

    /// <summary>Why this revision exists beyond an ordinary save (自动保存, 恢复自第 3 版, 冲突时保留我的版本 …).</summary>
    public string? Note { get; set; }

    public static ArticleRevision Of(Article article, int number, Actor actor, DateTime now, string? note = null) => new()
    {
        ArticleId = article.Id,
        Number = number,
        Title = article.Title,
        Subtitle = article.Subtitle,
        Summary = article.Summary,
        BodyMarkdown = article.BodyMarkdown,
        ChannelId = article.ChannelId,
        Tags = string.Join("、", article.Tags.Select(t => t.Name).Order(StringComparer.Ordinal)),
        Source = article.Source,
        ReprintedFrom = article.ReprintedFrom,
        Author = article.Author,
        ResponsibleEditor = article.ResponsibleEditor,
        ContactHotline = article.ContactHotline,
        ContactWeChat = article.ContactWeChat,
        CoverImageUrl = article.CoverImageUrl,
        CoverImageAlt = article.CoverImageAlt,
        Kind = article.Kind,
        VideoUrl = article.VideoUrl,
        VideoPosterUrl = article.VideoPosterUrl,
        CorrectionNote = article.CorrectionNote,
        UserId = actor.UserId,
        UserName = actor.Name,
        At = now,
        Note = note,
    };
}
