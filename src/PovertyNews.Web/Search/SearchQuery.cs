using PovertyNews.Web.Text;
namespace PovertyNews.Web.Search;


/// <summary>Either of <paramref name="Alternatives"/> (a single one unless the reader wrote OR); excluded with a minus.</summary>
public sealed record SearchClause(IReadOnlyList<SearchTerm> Alternatives, bool Exclude);

/// <summary>A word a synonym group added to a clause (<see cref="SynonymTable.Expand"/>), as the group spells it.</summary>
public sealed record SynonymUse(string Word, bool Excluded);

/// <summary>A parsed query: every non-excluded clause must match and no excluded one may.</summary>
public sealed record SearchQuery(string Text, IReadOnlyList<SearchClause> Clauses, IReadOnlyList<string> Notices)
{
    public static readonly SearchQuery Empty = new("", [], []);

    /// <summary>Words the synonym table added as alternatives, for the page to say so (已包含：湘西州).</summary>
    public IReadOnlyList<SynonymUse> Synonyms { get; init; } = [];

    /// <summary>Nothing to look for: no clause that would select anything.</summary>
    public bool IsEmpty => !Clauses.Any(c => !c.Exclude);

    /// <summary>Terms to highlight in titles and snippets.</summary>
    public IEnumerable<SearchTerm> PositiveTerms => Clauses.Where(c => !c.Exclude).SelectMany(c => c.Alternatives);
}
