using PovertyNews.Web.Domain;

namespace PovertyNews.Web.Common;

/// <summary>
/// The sensitive-word gate for features outside the newsroom (the importer): before an article's text reaches
/// readers, replace-words in every reader-visible field are replaced on the article and 禁止-words refuse it.
/// </summary>
public interface IReaderTextGate
{
    /// <summary>Refusal messages naming <paramref name="stepName"/>, without changing anything; empty when the text may go out.</summary>
    Task<IReadOnlyList<string>> ScreenAsync(Article article, string stepName, CancellationToken ct);

    /// <summary>Replaces replace-words on the (tracked) article and refuses 禁止-words, as <see cref="ScreenAsync"/> would.</summary>
    Task<IReadOnlyList<string>> PassAsync(Article article, string stepName, CancellationToken ct);
}
