using PovertyNews.Web.Text;
namespace PovertyNews.Web.Search;

/// <summary>
/// Okapi BM25 over candidate articles, computed from their text rather than by the index. FTS5's own bm25()
/// counts, for every query, all documents holding each term to get its IDF — a walk of the term's whole posting
/// list, 70 ms per common bigram at a million articles. Here the document frequencies come from the caller (counted
/// up to a cap), term frequencies from the candidates' fields, and the formula is FTS5's: per term,
/// idf · tf·(k1+1) / (tf + k1·(1 − b + b·|d|/avg|d|)), with tf summed over the fields by their weights.
/// </summary>
public static class Bm25Ranker
{
    public const double K1 = 1.2;
    public const double B = 0.75;

    /// <summary>Weights per field, as the index's column order: title, lead, body, source, author, tags.</summary>
    public static readonly double[] Weights = [10, 4, 1, 2, 2, 5];

    /// <summary>An article's searchable fields, folded (see <see cref="ChineseText.Fold(string)"/>), in <see cref="Weights"/> order.</summary>
    public sealed record Candidate(long Key, string[] Fields)
    {
        public int Length { get; } = Fields.Sum(f => f.Length);

        public static Candidate From(long key, string title, string? subtitle, string? summary, string? bodyHtml,
            string? source, string? author, IEnumerable<string> tags) =>
            new(key,
            [
                ChineseText.Fold(title),
                ChineseText.Fold((subtitle ?? "") + "\n" + (summary ?? "")),
                ChineseText.Fold(HtmlText.ToText(bodyHtml)),
                ChineseText.Fold(source ?? ""),
                ChineseText.Fold(author ?? ""),
                ChineseText.Fold(string.Join("\n", tags)),
            ]);
    }

    /// <summary>A query term with its document frequency.</summary>
    public sealed record WeightedTerm(SearchTerm Term, long DocumentFrequency);

    /// <summary>The candidates' keys, best first; equal scores go to the newer article (the higher key).</summary>
    public static IReadOnlyList<long> Rank(IReadOnlyList<Candidate> candidates, IReadOnlyList<WeightedTerm> terms, long documentCount)
    {
        if (candidates.Count == 0)
        {
            return [];
        }
        var averageLength = Math.Max(1.0, candidates.Average(c => (double)c.Length));
        var idf = terms.Select(t => Idf(documentCount, t.DocumentFrequency)).ToArray();
        return candidates
            .Select(c => (c.Key, Score: Score(c, terms, idf, averageLength)))
            .OrderByDescending(x => x.Score).ThenByDescending(x => x.Key)
            .Select(x => x.Key)
            .ToList();
    }

    public static double Score(Candidate candidate, IReadOnlyList<WeightedTerm> terms, double[] idf, double averageLength)
    {
        var norm = K1 * (1 - B + B * candidate.Length / averageLength);
        var score = 0.0;
        for (var t = 0; t < terms.Count; t++)
        {
            var tf = 0.0;
            for (var f = 0; f < Weights.Length; f++)
            {
                tf += Weights[f] * Occurrences(candidate.Fields[f], terms[t].Term);
            }
            score += idf[t] * tf * (K1 + 1) / (tf + norm);
        }
        return score;
    }

    /// <summary>Always positive, so a term in nearly every document still counts a little (FTS5 floors it instead).</summary>
    public static double Idf(long documentCount, long documentFrequency)
    {
        var n = Math.Max(documentCount, documentFrequency);
        return Math.Log(1 + (n - documentFrequency + 0.5) / (documentFrequency + 0.5));
    }

    /// <summary>
    /// How often a term occurs in folded text: for a term of several runs (写作 2020, Xiangxi 湘西), the count of
    /// its rarest run. A Chinese run is counted wherever it stands (overlaps included, as the index's bigrams are);
    /// a Latin word only as a whole word. The index has already confirmed the candidate matches.
    /// </summary>
    public static int Occurrences(string folded, SearchTerm term)
    {
        var least = int.MaxValue;
        foreach (var run in term.Text.Split(' ', StringSplitOptions.RemoveEmptyEntries))
        {
            least = Math.Min(least, CountRun(folded, run));
            if (least == 0)
            {
                return 0;
            }
        }
        return least == int.MaxValue ? 0 : least;
    }

    private static int CountRun(string text, string run)
    {
        var isWord = char.IsLetter(run[0]) && !ChineseText.IsChinese(run[0]);
        var count = 0;
        for (var i = text.IndexOf(run, StringComparison.Ordinal); i >= 0; i = text.IndexOf(run, i + 1, StringComparison.Ordinal))
        {
            if (!isWord || (!IsWordChar(text, i - 1) && !IsWordChar(text, i + run.Length)))
            {
                count++;
            }
        }
        return count;
    }

    private static bool IsWordChar(string text, int i) =>
        i >= 0 && i < text.Length && (char.IsLetter(text[i]) || char.GetUnicodeCategory(text[i]) is
            System.Globalization.UnicodeCategory.NonSpacingMark or System.Globalization.UnicodeCategory.SpacingCombiningMark)
        && !ChineseText.IsChinese(text[i]);
}
