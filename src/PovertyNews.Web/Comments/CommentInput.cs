namespace PovertyNews.Web.Comments;

/// <summary>What the reader's form posts. <see cref="Website"/> is the honeypot: hidden from people, filled by bots.</summary>
public sealed class CommentInput
{
    public string? Name { get; set; }
    public string? Body { get; set; }

    /// <summary>The signed "form rendered at" stamp (<see cref="CommentFormStamp"/>).</summary>
    public string? Stamp { get; set; }

    public string? Website { get; set; }

    public void Normalize()
    {
        Name = string.IsNullOrWhiteSpace(Name) ? null : Name.Trim();
        // Line breaks are kept (they show), but as \n only, and the ends trimmed.
        Body = Body?.Replace("\r\n", "\n", StringComparison.Ordinal).Replace('\r', '\n').Trim();
    }
}

/// <summary>What became of a posted comment: its id, and whether readers see it now or after review.</summary>
public sealed record PostedComment(long Id, bool Visible);
