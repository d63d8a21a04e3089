namespace PovertyNews.Web.Search;

/// <summary>
/// One thing to find: a word or a phrase, already cut into index tokens. A Chinese run becomes its overlapping
/// character bigrams, which must stand next to each other; a run of one character matches as a prefix.
/// </summary>
/// <param name="Text">The term as folded text, for highlighting and for echoing back.</param>
/// <param name="Tokens">Index tokens that must appear consecutively.</param>
/// <param name="LastIsPrefix">The last token matches any token it begins (a lone Chinese character).</param>
public sealed record SearchTerm(string Text, IReadOnlyList<string> Tokens, bool LastIsPrefix);

/// <summary>Either of <paramref name="Alternatives"/> (a single one unless the reader wrote OR); excluded with a minus.</summary>
public sealed record SearchClause(IReadOnlyList<SearchTerm> Alternatives, bool Exclude);

/// <summary>A parsed query: every non-excluded clause must match and no excluded one may.</summary>
public sealed record SearchQuery(string Text, IReadOnlyList<SearchClause> Clauses, IReadOnlyList<string> Notices)
{
    public static readonly SearchQuery Empty = new("", [], []);

    /// <summary>Nothing to look for: no clause that would select anything.</summary>
    public bool IsEmpty => !Clauses.Any(c => !c.Exclude);

    /// <summary>Terms to highlight in titles and snippets.</summary>
    public IEnumerable<SearchTerm> PositiveTerms => Clauses.Where(c => !c.Exclude).SelectMany(c => c.Alternatives);
}
