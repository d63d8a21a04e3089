using PovertyNews.Web.Text;

namespace PovertyNews.Web.Search;

/// <summary>One word of a synonym group: as the administrator wrote it, and as the query term it becomes.</summary>
public sealed record SynonymWord(string Word, SearchTerm Term);

/// <summary>
/// The synonym groups (湘西 ⇄ 湘西州 ⇄ 湘西土家族苗族自治州) as search applies them: a query term that is one word of a
/// group becomes either of the group's words, each as a phrase, in the parsed query itself, so every index gets the
/// same alternatives (an OR clause) and the highlighter marks every one of them. Words are compared folded
/// (<see cref="ChineseText.Fold(string)"/>), so 湘西州 in traditional or full-width forms finds the group too.
/// </summary>
public sealed class SynonymTable
{
    public static readonly SynonymTable Empty = new([]);

    private readonly Dictionary<string, IReadOnlyList<SynonymWord>> _groups = new(StringComparer.Ordinal);

    public SynonymTable(IEnumerable<string> groups)
    {
        foreach (var words in groups)
        {
            var group = SynonymGroup.Words(words)
                .Select(w => ChineseText.Term(ChineseText.Fold(w)) is { } term ? new SynonymWord(w, term) : null)
                .OfType<SynonymWord>()
                .DistinctBy(w => w.Term.Text)
                .ToList();
            if (group.Count < 2)
            {
                continue;
            }
            foreach (var word in group)
            {
                // The service keeps a word to one group; should two ever share one, the first keeps it.
                _groups.TryAdd(word.Term.Text, group);
            }
        }
    }

    public int Count => _groups.Count;

    /// <summary>The group <paramref name="term"/> is a word of, if any.</summary>
    public IReadOnlyList<SynonymWord>? GroupOf(SearchTerm term) => _groups.GetValueOrDefault(term.Text);

    /// <summary>
    /// <paramref name="query"/> with each term that is a word of a group joined by the group's other words as
    /// alternatives of its clause; an excluded term excludes the whole group. The words added are listed in
    /// <see cref="SearchQuery.Synonyms"/>.
    /// </summary>
    public SearchQuery Expand(SearchQuery query)
    {
        if (_groups.Count == 0)
        {
            return query;
        }
        var clauses = new List<SearchClause>(query.Clauses.Count);
        var used = new List<SynonymUse>();
        foreach (var clause in query.Clauses)
        {
            var alternatives = clause.Alternatives.ToList();
            foreach (var term in clause.Alternatives)
            {
                foreach (var word in GroupOf(term) ?? [])
                {
                    if (alternatives.All(a => a.Text != word.Term.Text))
                    {
                        alternatives.Add(word.Term);
                        used.Add(new SynonymUse(word.Word, clause.Exclude));
                    }
                }
            }
            clauses.Add(alternatives.Count == clause.Alternatives.Count ? clause : clause with { Alternatives = alternatives });
        }
        return used.Count == 0 ? query : query with { Clauses = clauses, Synonyms = used.Distinct().ToList() };
    }
}
