using PovertyNews.Web.Newsroom.SensitiveWords;

namespace PovertyNews.Web.Newsroom.Articles;

public sealed record EditorResult(EditorOutcome Outcome, int ArticleId, Guid Version, DateTime At, int? Revision, IReadOnlyList<InputError> Errors)
{
    public bool Succeeded => Outcome is EditorOutcome.Saved or EditorOutcome.Unchanged;

    /// <summary>Sensitive words this save replaced with ＊ (the editor is told).</summary>
    public IReadOnlyList<ReplacedWord> Replaced { get; init; } = [];
}
