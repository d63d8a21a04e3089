namespace PovertyNews.Web.Markdown;

/// <summary>The cheap checks that run before Markdig, so input that would make it slow or deeply recursive never reaches it.</summary>
internal static class MarkdownInputScan
{
    /// <summary>Null to empty, line endings to \n, then the cheap checks that run before Markdig.</summary>
    public static string Prepare(string? markdown)
    {
        if (string.IsNullOrWhiteSpace(markdown))
        {
            return string.Empty;
        }

        if (markdown.Length > MarkdownLimits.MaxLength)
        {
            throw new MarkdownRejectedException(MarkdownLimits.TooLongMessage);
        }

        var text = markdown.Contains('\r') ? markdown.ReplaceLineEndings("\n") : markdown;
        var (nesting, cost, footnotes) = Measure(text);
        if (nesting > MarkdownLimits.MaxLineNesting)
        {
            throw new MarkdownRejectedException(MarkdownLimits.TooDeepMessage);
        }

        if (cost > MarkdownLimits.MarkupCostBudget)
        {
            throw new MarkdownRejectedException(MarkdownLimits.TooDenseMessage);
        }

        if (footnotes > MarkdownLimits.MaxFootnoteMarkers)
        {
            throw new MarkdownRejectedException(MarkdownLimits.TooManyFootnotesMessage);
        }

        return text;
    }

    /// <summary>
    /// One pass over the lines: the largest <see cref="LineNesting"/>, Σ over blocks (runs of non-blank lines) of
    /// length × ASCII punctuation count (see <see cref="MarkdownLimits.MarkupCostBudget"/>) and the number of footnote markers.
    /// </summary>
    public static (int MaxNesting, long MarkupCost, int FootnoteMarkers) Measure(string text)
    {
        var maxNesting = 0;
        var footnotes = 0;
        long cost = 0;
        long blockLength = 0;
        long blockPunctuation = 0;
        var lineStart = 0;
        while (lineStart < text.Length)
        {
            var newline = text.IndexOf('\n', lineStart);
            var lineEnd = newline < 0 ? text.Length : newline;
            var line = text.AsSpan(lineStart, lineEnd - lineStart);
            lineStart = lineEnd + 1;

            if (line.IsWhiteSpace())
            {
                cost += blockLength * blockPunctuation;
                blockLength = blockPunctuation = 0;
                continue;
            }

            maxNesting = Math.Max(maxNesting, LineNesting(line));
            blockLength += line.Length + 1;
            for (var i = 0; i < line.Length; i++)
            {
                var c = line[i];
                if (char.IsAsciiLetterOrDigit(c) || c > '~' || c <= ' ')
                {
                    continue;
                }

                blockPunctuation++;
                if (c == '^' && i > 0 && line[i - 1] == '[')
                {
                    footnotes++;
                }
            }
        }

        return (maxNesting, cost + blockLength * blockPunctuation, footnotes);
    }

    /// <summary>How many containers a line can open at most: markers at its start plus half its indentation.</summary>
    public static int LineNesting(ReadOnlySpan<char> line)
    {
        var columns = 0;
        var markers = 0;
        var i = 0;
        while (i < line.Length)
        {
            var c = line[i];
            if (c == ' ')
            {
                columns++;
                i++;
            }
            else if (c == '\t')
            {
                columns += 4 - columns % 4;
                i++;
            }
            else if (c == '>')
            {
                markers++;
                columns++;
                i++;
            }
            else if (c is '-' or '*' or '+' && (i + 1 == line.Length || line[i + 1] is ' ' or '\t'))
            {
                markers++;
                columns++;
                i++;
            }
            else if (char.IsAsciiDigit(c))
            {
                var j = i;
                while (j < line.Length && j - i < 9 && char.IsAsciiDigit(line[j]))
                {
                    j++;
                }

                if (j < line.Length && line[j] is '.' or ')' && (j + 1 == line.Length || line[j + 1] is ' ' or '\t'))
                {
                    markers++;
                    columns += j + 1 - i;
                    i = j + 1;
                }
                else
                {
                    break;
                }
            }
            else
            {
                break;
            }
        }

        if (i == line.Length && IsThematicBreak(line))
        {
            return 0; // "* * * * *" or "- - - -" is a horizontal rule, not nested lists
        }

        return markers + (columns - markers) / 2;
    }

    private static bool IsThematicBreak(ReadOnlySpan<char> line)
    {
        var trimmed = line.Trim();
        if (trimmed.Length == 0 || trimmed[0] is not ('-' or '*' or '_'))
        {
            return false;
        }

        var count = 0;
        foreach (var c in trimmed)
        {
            if (c == trimmed[0])
            {
                count++;
            }
            else if (c is not (' ' or '\t'))
            {
                return false;
            }
        }

        return count >= 3;
    }
}
