using PovertyNews.Web.Text;
namespace PovertyNews.Web.Search;

/// <summary>
/// Reads what a reader types into a <see cref="SearchQuery"/>: words (all must match), "quoted phrases",
/// -exclusions, and OR between two words. Nothing the reader types reaches the index's query language as
/// syntax: operators are recognised here, and every token is quoted when the index query is written.
/// </summary>
public static class SearchQueryParser
{
    public const int MaxClauses = 10;

    public static SearchQuery Parse(string? raw)
    {
        var notices = new List<string>();
        var cleaned = new string((raw ?? "").Select(c => char.IsControl(c) ? ' ' : c).ToArray()).Trim();
        var text = ChineseText.Fold(cleaned);
        var pieces = Split(cleaned, notices);

        var clauses = new List<SearchClause>();
        var pendingOr = false;
        var pendingNot = false;
        foreach (var piece in pieces)
        {
            if (!piece.Quoted && piece.Raw is "OR" or "|")
            {
                pendingOr = clauses.Count > 0;
                continue;
            }
            if (!piece.Quoted && piece.Raw is "AND" or "&&" or "+")
            {
                continue;
            }
            if (!piece.Quoted && piece.Raw == "NOT")
            {
                pendingNot = true;
                continue;
            }
            var exclude = piece.Exclude || pendingNot;
            pendingNot = false;

            // A bare word with punctuation inside (扶贫,湘西) is several words; a quoted one is one phrase.
            var terms = piece.Quoted || exclude
                ? [ChineseText.Term(piece.Text)]
                : ChineseText.Runs(piece.Text).Select(r => ChineseText.Term(piece.Text.Substring(r.Start, r.Length))).ToList();
            foreach (var term in terms.OfType<SearchTerm>())
            {
                if (pendingOr && !exclude && clauses[^1] is { Exclude: false } previous)
                {
                    clauses[^1] = previous with { Alternatives = [.. previous.Alternatives, term] };
                }
                else
                {
                    clauses.Add(new SearchClause([term], exclude));
                }
                pendingOr = false;
            }
        }

        if (clauses.Count > MaxClauses)
        {
            notices.Add($"关键词过多，只按前 {MaxClauses} 个查找。");
            clauses = clauses.Take(MaxClauses).ToList();
        }
        return new SearchQuery(text, clauses, notices);
    }

    private sealed record Piece(string Text, string Raw, bool Quoted, bool Exclude);

    /// <summary>
    /// Splits at spaces, keeping quoted stretches whole; an unclosed quote runs to the end. Works on the raw
    /// text because operators count only in capitals, as typed; structure is judged on folded characters so
    /// full-width quotes, minus signs and spaces work too.
    /// </summary>
    private static List<Piece> Split(string raw, List<string> notices)
    {
        var pieces = new List<Piece>();
        var i = 0;
        while (i < raw.Length)
        {
            if (char.IsWhiteSpace(F(i)))
            {
                i++;
                continue;
            }
            var exclude = false;
            if (F(i) == '-' && i + 1 < raw.Length && !char.IsWhiteSpace(F(i + 1)) && F(i + 1) != '-')
            {
                exclude = true;
                i++;
            }
            if (IsQuote(F(i)))
            {
                var end = i + 1;
                while (end < raw.Length && !IsQuote(F(end)))
                {
                    end++;
                }
                if (end == raw.Length)
                {
                    notices.Add("引号没有成对，已把引号后的全部文字当作一个短语查找。");
                }
                var phrase = raw[(i + 1)..end];
                pieces.Add(new Piece(ChineseText.Fold(phrase), phrase, Quoted: true, exclude));
                i = Math.Min(end + 1, raw.Length);
                continue;
            }
            var start = i;
            while (i < raw.Length && !char.IsWhiteSpace(F(i)) && !IsQuote(F(i)))
            {
                i++;
            }
            var word = raw[start..i];
            pieces.Add(new Piece(ChineseText.Fold(word), word, Quoted: false, exclude));
        }
        return pieces;

        char F(int at) => ChineseText.Fold(raw[at]);
    }

    private static bool IsQuote(char c) => c is '"' or '“' or '”' or '「' or '」';
}
