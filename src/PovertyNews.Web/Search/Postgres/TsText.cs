using System.Globalization;
using System.Text;
using PovertyNews.Web.Text;

namespace PovertyNews.Web.Search.Postgres;

/// <summary>
/// The PostgreSQL index's text forms: a <c>tsvector</c> made of <see cref="ChineseText"/>'s own tokens (no parser or
/// dictionary of PostgreSQL's touches them) and the <c>tsquery</c> of a request, built to select exactly what
/// <see cref="Sqlite.SqliteSearchIndex.MatchExpression"/> selects in FTS5.
/// </summary>
/// <remarks>
/// FTS5 keeps seven columns; a tsvector is one list of lexemes with positions. The columns become stretches of
/// positions with a gap between them, so a phrase (<c>&lt;-&gt;</c>, "next position") never runs from one into the
/// next, as it cannot in FTS5. The two columns the filters name (source, author) also go in a second time as
/// lexemes with a prefix no token can have, at the same positions, so a filter phrase is a phrase of those. Facet
/// tokens (see <see cref="SearchDocument"/>) are lexemes without positions.
/// </remarks>
public static class TsText
{
    /// <summary>tsvector's highest position: later tokens all get it, so phrases in text beyond it are not found.</summary>
    public const int MaxPosition = 16_383;

    /// <summary>tsvector keeps at most this many positions per lexeme.</summary>
    public const int MaxPositionsPerLexeme = 256;

    /// <summary>Lexemes may not be longer (bytes); a token this long is no word anyone searches for.</summary>
    private const int MaxLexemeBytes = 2046;

    /// <summary>
    /// Lexemes (without positions) of three and four characters in a row of a Chinese run: a word of that length
    /// is then one lexeme, which the GIN index answers alone, instead of a phrase whose positions PostgreSQL has to
    /// check in each candidate's tsvector. Prefixed so no prefix query (<c>'贫':*</c>) reaches them.
    /// </summary>
    public const string GramPrefix = "#";

    /// <summary>
    /// Prefix of the lexeme naming the month (UTC, of the <see cref="SearchKey"/>'s time) a document belongs to, e.g.
    /// <c>#t202612</c>. A query ANDed with a few of them is answered by the GIN index from those months' short posting
    /// lists, skipping through the long ones of common words, so the newest matches can be found month by month
    /// (<see cref="PostgresSearch"/>) without decoding every match of the word.
    /// </summary>
    public const string MonthPrefix = "#t";

    public const string SourcePrefix = "#s";
    public const string AuthorPrefix = "#a";

    /// <summary>
    /// The document as tsvector input text, and its lexemes with positions alone: the narrow second column in which
    /// a phrase is checked (<see cref="Split"/>). The position-less lexemes (3- and 4-character grams, the month,
    /// facets) are two thirds of a document; a phrase check detoasts the whole value, so it costs that much less.
    /// </summary>
    public static (string Document, string Positions) Vectors(SearchDocument document)
    {
        var lexemes = new Dictionary<string, List<int>>(StringComparer.Ordinal);
        var position = 1;
        var grams = new HashSet<string>(StringComparer.Ordinal);
        void Column(string tokens, string? alsoAs)
        {
            var list = tokens.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            for (var p = 0; p < list.Length; p++)
            {
                var lexeme = ChineseText.Lexeme(list[p]);
                var at = Math.Min(position, MaxPosition);
                Add(lexeme, at);
                if (alsoAs is not null)
                {
                    Add(alsoAs + lexeme, at);
                }
                position++;
                // Three and four characters in a row: a bigram followed by one or two more bigrams (a bigram is
                // never the last token of its run, so they are of the same run).
                for (var n = 1; n <= 2 && p + n < list.Length && IsBigram(list[p]); n++)
                {
                    if (!IsBigram(list[p + n]))
                    {
                        break;
                    }
                    var gram = Gram(list.AsSpan(p, n + 1));
                    grams.Add(GramPrefix + gram);
                    if (alsoAs is not null)
                    {
                        grams.Add(alsoAs + GramPrefix + gram);
                    }
                }
            }
            // The gap: nothing stands at this position, so no phrase crosses into the next column.
            position++;
        }
        void Add(string lexeme, int at)
        {
            if (Encoding.UTF8.GetByteCount(lexeme) > MaxLexemeBytes)
            {
                return;
            }
            if (!lexemes.TryGetValue(lexeme, out var positions))
            {
                lexemes[lexeme] = positions = [];
            }
            if (positions.Count < MaxPositionsPerLexeme && (positions.Count == 0 || positions[^1] != at))
            {
                positions.Add(at);
            }
        }
        // The short columns first, so the position limit only ever cuts into the end of long bodies.
        Column(document.Title, null);
        Column(document.Lead, null);
        Column(document.Source, SourcePrefix);
        Column(document.Author, AuthorPrefix);
        Column(document.Tags, null);
        Column(document.Body, null);

        var text = new StringBuilder();
        foreach (var (lexeme, positions) in lexemes)
        {
            Quote(text, lexeme).Append(':');
            for (var i = 0; i < positions.Count; i++)
            {
                text.Append(i == 0 ? "" : ",").Append(positions[i].ToString(CultureInfo.InvariantCulture));
            }
            text.Append(' ');
        }
        var positional = text.ToString();
        grams.Add(MonthLexeme(MonthOf(document.Key)));
        foreach (var facet in document.Facets.Split(' ', StringSplitOptions.RemoveEmptyEntries).Concat(grams).Distinct())
        {
            if (!lexemes.ContainsKey(facet))
            {
                Quote(text, facet).Append(' ');
            }
        }
        return (text.ToString(), positional);
    }

    /// <summary>The tsquery for a request's words and filters: the counterpart of the FTS5 match expression.</summary>
    public static string Query(SearchRequest request) => Build(request, Form.Whole)!;

    /// <summary>
    /// The request's tsquery in two parts whose conjunction selects what <see cref="Query"/> selects: one for the
    /// document column with every phrase loosened to its lexemes (the GIN index answers it without reading a
    /// tsvector; exclusions holding a phrase are left to the other part), and, when the request holds a phrase, the
    /// phrase-bearing clauses for the positions column, where each word is in its positional form (a 3- or
    /// 4-character word as the phrase of its bigrams, which is what its gram lexeme stands for).
    /// </summary>
    public static (string Loose, string? Exact) Split(SearchRequest request) => (Build(request, Form.Loose)!, Build(request, Form.Exact));

    private enum Form
    {
        Whole,
        Loose,
        Exact,
    }

    private static string? Build(SearchRequest request, Form form)
    {
        if (form == Form.Exact)
        {
            var parts = new List<string>();
            parts.AddRange(request.Query.Clauses.Where(c => c.Alternatives.Any(IsPositional))
                .Select(c => (c.Exclude ? "!" : "") + Clause(c, form)));
            foreach (var (filter, prefix) in new[] { (Filter(request.Source), SourcePrefix), (Filter(request.Author), AuthorPrefix) })
            {
                if (filter is not null && IsPositional(filter))
                {
                    parts.Add(Phrase(filter, prefix, form));
                }
            }
            return parts.Count == 0 ? null : string.Join(" & ", parts);
        }
        var text = new StringBuilder("(");
        text.AppendJoin(" & ", request.Query.Clauses.Where(c => !c.Exclude).Select(c => Clause(c, form)));
        text.Append(')');
        // A loosened phrase under "not" would exclude too much: such an exclusion is the exact part's alone.
        foreach (var excluded in request.Query.Clauses.Where(c => c.Exclude && (form == Form.Whole || !c.Alternatives.Any(IsPositional))))
        {
            text.Append(" & !").Append(Clause(excluded, form));
        }
        if (request.Scope == SearchScope.Public)
        {
            text.Append(" & ").Append(Facet(SearchDocument.VisibleFacet));
        }
        else if (request.OnlyVisibleOrOwnedBy is { } owner)
        {
            text.Append($" & ({Facet(SearchDocument.VisibleFacet)} | {Facet(SearchDocument.OwnerFacet(owner))})");
        }
        if (request.Scope == SearchScope.Staff && request.Statuses is { Count: > 0 } statuses)
        {
            text.Append(" & (").AppendJoin(" | ", statuses.Select(s => Facet(SearchDocument.StatusFacet(s)))).Append(')');
        }
        if (request.Kind is { } kind)
        {
            text.Append(" & ").Append(Facet(SearchDocument.KindFacet(kind)));
        }
        if (request.ChannelId is { } channel)
        {
            text.Append(" & ").Append(Facet(SearchDocument.ChannelFacet(channel)));
        }
        if (Filter(request.Source) is { } source)
        {
            text.Append(" & ").Append(Phrase(source, SourcePrefix, form));
        }
        if (Filter(request.Author) is { } author)
        {
            text.Append(" & ").Append(Phrase(author, AuthorPrefix, form));
        }
        return text.ToString();
    }

    private static string Clause(SearchClause clause, Form form) =>
        "(" + string.Join(" | ", clause.Alternatives.Select(t => Phrase(t, "", form))) + ")";

    private static SearchTerm? Filter(string? value) =>
        string.IsNullOrWhiteSpace(value) ? null : ChineseText.Term(ChineseText.Fold(value));

    /// <summary>Whether the term's tsquery checks positions (a phrase PostgreSQL verifies in the tsvector itself).</summary>
    private static bool IsPositional(SearchTerm term) => term.Tokens.Count >= 2 && !IsGram(term);

    /// <summary>A word of three or four Chinese characters: one gram lexeme.</summary>
    private static bool IsGram(SearchTerm term) =>
        !term.LastIsPrefix && term.Tokens.Count is 2 or 3 && term.Tokens.All(IsBigram);

    /// <summary>Months since the year 0 of a key's time: consecutive months are consecutive numbers.</summary>
    public static int MonthOf(long key)
    {
        var time = SearchKey.Time(key);
        return time.Year * 12 + time.Month - 1;
    }

    /// <summary>The first key of <paramref name="month"/> (see <see cref="MonthOf"/>).</summary>
    public static long FirstKeyOf(int month) =>
        SearchKey.Lowest(new DateTime(month / 12, month % 12 + 1, 1, 0, 0, 0, DateTimeKind.Utc));

    public static string MonthLexeme(int month) =>
        string.Create(CultureInfo.InvariantCulture, $"{MonthPrefix}{month / 12:0000}{month % 12 + 1:00}");

    /// <summary>A facet token as a tsquery operand.</summary>
    public static string Facet(string facet) => Quote(new StringBuilder(), facet).ToString();

    /// <summary>
    /// The term's tokens at consecutive positions; the last one as a prefix when the term ends in a single Chinese
    /// character. Every lexeme is quoted, so nothing a reader types becomes tsquery syntax.
    /// </summary>
    public static string Phrase(SearchTerm term, string prefix) => Phrase(term, prefix, Form.Whole);

    private static string Phrase(SearchTerm term, string prefix, Form form)
    {
        var tokens = term.Tokens.ToArray();
        var bigrams = !term.LastIsPrefix && tokens.Length >= 2 && tokens.All(IsBigram);
        if (bigrams && tokens.Length <= 3 && form != Form.Exact)
        {
            return "(" + Quote(new StringBuilder(), prefix + GramPrefix + Gram(tokens)) + ")";
        }
        var text = new StringBuilder("(");
        if (bigrams && form != Form.Exact)
        {
            // Longer: the phrase, with its four-character pieces first, which the GIN index narrows the candidates by.
            for (var i = 0; i + 3 <= tokens.Length; i++)
            {
                Quote(text, prefix + GramPrefix + Gram(tokens.AsSpan(i, 3))).Append(" & ");
            }
        }
        for (var i = 0; i < term.Tokens.Count; i++)
        {
            if (i > 0)
            {
                // Loosened, a phrase is its lexemes anywhere in the document: a superset the exact part narrows.
                text.Append(form == Form.Loose ? " & " : " <-> ");
            }
            Quote(text, prefix + ChineseText.Lexeme(term.Tokens[i]));
            if (term.LastIsPrefix && i == term.Tokens.Count - 1)
            {
                text.Append(":*");
            }
        }
        return text.Append(')').ToString();
    }

    /// <summary>A Chinese token of two characters (a bigram of its run), not a Latin word of two letters.</summary>
    private static bool IsBigram(string token)
    {
        if (!System.Text.Rune.TryGetRuneAt(token, 0, out var first) || !(ChineseText.IsChinese(first.Value) || System.Text.Rune.IsDigit(first)))
        {
            return false;
        }
        var second = first.Utf16SequenceLength;
        return second < token.Length && System.Text.Rune.TryGetRuneAt(token, second, out var next) && second + next.Utf16SequenceLength == token.Length;
    }

    /// <summary>The characters of consecutive overlapping bigrams: the first, then each one's second character.</summary>
    private static string Gram(ReadOnlySpan<string> bigrams)
    {
        var text = new StringBuilder(bigrams[0]);
        for (var i = 1; i < bigrams.Length; i++)
        {
            var first = System.Text.Rune.GetRuneAt(bigrams[i], 0).Utf16SequenceLength;
            text.Append(bigrams[i], first, bigrams[i].Length - first);
        }
        return text.ToString();
    }

    private static StringBuilder Quote(StringBuilder into, string lexeme)
    {
        into.Append('\'');
        foreach (var c in lexeme)
        {
            if (c is '\'' or '\\')
            {
                into.Append(c);
            }
            into.Append(c);
        }
        return into.Append('\'');
    }
}
