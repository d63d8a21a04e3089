using PovertyNews.Web.Text;
namespace PovertyNews.Web.Search;


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
