using System.Globalization;
using System.Text;

namespace PovertyNews.Web.Text;

/// <summary>
/// A summary cut short for share cards (og:description, the description WeChat shows under a shared link): at most a
/// given number of UTF-16 code units, cut between user-perceived characters (never inside a surrogate pair or between
/// a character and its combining marks), at a sentence end when one lies in the second half, and otherwise marked
/// with "…".
/// </summary>
public static class Excerpt
{
    public const int ShareLength = 120;

    private const string Ellipsis = "…";
    private const string SentenceEnds = "。！？!?；;";
    private const string Pauses = "，、,：:";

    public static string Trim(string? text, int maxLength = ShareLength)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxLength, 2);
        var collapsed = Collapse(text);
        if (collapsed.Length <= maxLength)
        {
            return collapsed;
        }

        // The longest run of whole text elements that leaves room for the ellipsis.
        var end = 0;
        var enumerator = StringInfo.GetTextElementEnumerator(collapsed);
        while (enumerator.MoveNext())
        {
            var next = enumerator.ElementIndex + enumerator.GetTextElement().Length;
            if (next > maxLength - Ellipsis.Length)
            {
                break;
            }
            end = next;
        }
        var head = collapsed[..end];

        // A whole sentence reads better than a cut one, if it keeps at least half the room.
        var sentence = head.LastIndexOfAny(SentenceEnds.ToCharArray());
        if (sentence + 1 >= maxLength / 2)
        {
            return head[..(sentence + 1)];
        }
        var pause = head.LastIndexOfAny(Pauses.ToCharArray());
        if (pause >= maxLength * 2 / 3)
        {
            head = head[..pause];
        }
        return head.TrimEnd() + Ellipsis;
    }

    /// <summary>Line breaks and runs of spaces (a summary typed over several lines) as one space.</summary>
    private static string Collapse(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return "";
        }
        var builder = new StringBuilder(text.Length);
        var space = false;
        foreach (var c in text.Trim())
        {
            if (char.IsWhiteSpace(c))
            {
                space = true;
                continue;
            }
            if (space)
            {
                builder.Append(' ');
                space = false;
            }
            builder.Append(c);
        }
        return builder.ToString();
    }
}
