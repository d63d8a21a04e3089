using PovertyNews.Web.Text;
namespace PovertyNews.Web.Search;

/// <summary>
/// Okapi BM25 over candidate articles. FTS5's own bm25() counts, for every query, all documents holding each term to
/// get its IDF — a walk of the term's whole posting list, 70 ms per common bigram at a million articles. Here the
/// document frequencies come from the caller (counted up to a cap), and each candidate brings its statistics: its
/// fields' lengths in index tokens and how often each query term occurs in each field. The formula is FTS5's: per
/// term, idf · tf·(k1+1) / (tf + k1·(1 − b + b·|d|/avg|d|)), with tf summed over the fields by their weights.
/// </summary>
public static class Bm25Ranker
{
    public const double K1 = 1.2;
    public const double B = 0.75;

    /// <summary>Weights per field, as the index's column order: title, lead, body, source, author, tags.</summary>
    public static readonly double[] Weights = [10, 4, 1, 2, 2, 5];

    public static int FieldCount => Weights.Length;

    /// <summary>
    /// A candidate's statistics: each field's length in index tokens, and per query term (in the order the caller
    /// ranks them) the term's occurrences in each field, <c>Frequencies[term * FieldCount + field]</c>. SQLite reads
    /// them from its index (<see cref="Sqlite.Fts5Statistics"/>); PostgreSQL counts them in the article's text with
    /// <see cref="From"/>, by the same rules.
    /// </summary>
    public sealed record Candidate(long Key, int[] Lengths, int[] Frequencies)
    {
        public int Length { get; } = Lengths.Sum();

        public int Frequency(int term, int field) => Frequencies[term * FieldCount + field];

        /// <summary>
        /// The statistics of an article's text, tokenized as the index tokenizes it (<see cref="SearchDocument.TextFields"/>):
        /// a term occurs wherever its tokens stand one after another in a field, as an FTS5 phrase matches.
        /// </summary>
        public static Candidate From(long key, string[] tokenFields, IReadOnlyList<SearchTerm> terms)
        {
            var fields = tokenFields.Select(Lexemes).ToArray();
            var frequencies = new int[terms.Count * FieldCount];
            for (var t = 0; t < terms.Count; t++)
            {
                var tokens = terms[t].Tokens.Select(ChineseText.Lexeme).ToArray();
                for (var f = 0; f < FieldCount; f++)
                {
                    frequencies[t * FieldCount + f] = Occurrences(fields[f], tokens, terms[t].LastIsPrefix);
                }
            }
            return new Candidate(key, fields.Select(f => f.Length).ToArray(), frequencies);
        }

        /// <summary>
        /// The same numbers from an article's fields. Terms of one run (湘西, 精准扶贫, 2020, xiangxi: nearly every query)
        /// are counted in the folded text without cutting it into tokens, which costs a tenth as much: a Chinese run
        /// occurs as a phrase of its bigrams exactly where its text occurs, and a word where a word of the text folds
        /// to it. A term of several runs (济南 2020) is matched token by token.
        /// </summary>
        public static Candidate From(long key, string title, string? subtitle, string? summary, string? bodyHtml,
            string? source, string? author, IEnumerable<string> tags, IReadOnlyList<SearchTerm> terms)
        {
            if (terms.Any(t => t.Text.Contains(' ')))
            {
                return From(key, SearchDocument.TextFields(title, subtitle, summary, bodyHtml, source, author, tags), terms);
            }
            // Line breaks between the pieces of a field, as between their tokens: no run crosses them.
            string[] fields =
            [
                ChineseText.Fold(title), ChineseText.Fold((subtitle ?? "") + "\n" + (summary ?? "")),
                ChineseText.Fold(HtmlText.ToText(bodyHtml)), ChineseText.Fold(source ?? ""), ChineseText.Fold(author ?? ""),
                ChineseText.Fold(string.Join("\n", tags)),
            ];
            var lengths = new int[FieldCount];
            var frequencies = new int[terms.Count * FieldCount];
            var words = terms.Select(t => ChineseText.Runs(t.Text) is [{ Kind: ChineseText.RunKind.Word }] ? ChineseText.Lexeme(t.Text) : null).ToArray();
            for (var f = 0; f < FieldCount; f++)
            {
                lengths[f] = ChineseText.TokenCount(fields[f]);
                var runs = words.Any(w => w is not null) ? ChineseText.Runs(fields[f]) : [];
                for (var t = 0; t < terms.Count; t++)
                {
                    frequencies[t * FieldCount + f] = words[t] is { } word
                        ? runs.Count(r => r.Kind == ChineseText.RunKind.Word && ChineseText.Lexeme(fields[f].Substring(r.Start, r.Length)) == word)
                        : TextOccurrences(fields[f], terms[t].Text);
                }
            }
            return new Candidate(key, lengths, frequencies);
        }

        /// <summary>Where <paramref name="run"/> occurs in <paramref name="text"/>, overlapping places each.</summary>
        private static int TextOccurrences(string text, string run)
        {
            var count = 0;
            for (var i = text.IndexOf(run, StringComparison.Ordinal); i >= 0; i = text.IndexOf(run, i + 1, StringComparison.Ordinal))
            {
                count++;
            }
            return count;
        }
    }

    /// <summary>A query term with its document frequency.</summary>
    public sealed record WeightedTerm(SearchTerm Term, long DocumentFrequency);

    /// <summary>
    /// The candidates' keys, best first; equal scores go to the newer article (the higher key). The candidates'
    /// frequencies are in the order of <paramref name="terms"/>.
    /// </summary>
    public static IReadOnlyList<long> Rank(IReadOnlyList<Candidate> candidates, IReadOnlyList<WeightedTerm> terms, long documentCount)
    {
        if (candidates.Count == 0)
        {
            return [];
        }
        var averageLength = Math.Max(1.0, candidates.Average(c => (double)c.Length));
        var idf = terms.Select(t => Idf(documentCount, t.DocumentFrequency)).ToArray();
        return candidates
            .Select(c => (c.Key, Score: Score(c, idf, averageLength)))
            .OrderByDescending(x => x.Score).ThenByDescending(x => x.Key)
            .Select(x => x.Key)
            .ToList();
    }

    public static double Score(Candidate candidate, double[] idf, double averageLength)
    {
        var norm = K1 * (1 - B + B * candidate.Length / averageLength);
        var score = 0.0;
        for (var t = 0; t < idf.Length; t++)
        {
            var tf = 0.0;
            for (var f = 0; f < Weights.Length; f++)
            {
                tf += Weights[f] * candidate.Frequency(t, f);
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
    /// How many places in a field's terms start the term's: its tokens one after another, the last as a prefix when
    /// the term ends in a lone Chinese character. Overlapping places count each (哈哈 twice in 哈哈哈), as FTS5's
    /// phrase instances do. Both sides are already folded by <see cref="ChineseText.Lexeme"/>.
    /// </summary>
    public static int Occurrences(string[] fieldTokens, string[] termTokens, bool lastIsPrefix)
    {
        var count = 0;
        for (var i = 0; i + termTokens.Length <= fieldTokens.Length; i++)
        {
            var j = 0;
            while (j < termTokens.Length && Matches(fieldTokens[i + j], termTokens[j], lastIsPrefix && j == termTokens.Length - 1))
            {
                j++;
            }
            if (j == termTokens.Length)
            {
                count++;
            }
        }
        return count;

        static bool Matches(string token, string wanted, bool prefix) =>
            prefix ? token.StartsWith(wanted, StringComparison.Ordinal) : token == wanted;
    }

    /// <summary>How often <paramref name="term"/> occurs in the index tokens of <paramref name="text"/> (raw, unfolded).</summary>
    public static int Occurrences(string text, SearchTerm term) =>
        Occurrences(Lexemes(ChineseText.IndexTokens(text)), term.Tokens.Select(ChineseText.Lexeme).ToArray(), term.LastIsPrefix);

    /// <summary>A field's index tokens as the index's terms: accents dropped from Latin letters, as FTS5's tokenizer drops them.</summary>
    private static string[] Lexemes(string tokens)
    {
        var list = tokens.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        for (var i = 0; i < list.Length; i++)
        {
            list[i] = ChineseText.Lexeme(list[i]);
        }
        return list;
    }
}
