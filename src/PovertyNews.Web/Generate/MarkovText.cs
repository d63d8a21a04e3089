using System.Text;

namespace PovertyNews.Web.Generate;

/// <summary>
/// A character-level Markov chain over Chinese sentences (order 2 by default). Chinese has no spaces, so characters
/// are the natural unit: two characters of context keep words and common phrases intact while sentences still
/// recombine. A run of digits or Latin letters ("14668", "2020") counts as one symbol, so numbers come out whole
/// instead of as "202020".
/// </summary>
/// <remarks>
/// Training numbers the states in the order they are first seen and keeps each state's successors in the order
/// they occur, so the same sentences and the same seed always give the same text. Generation never looks anything
/// up in a dictionary: each successor carries the index of the state it leads to, which keeps the inner loop to
/// array reads (the generate command needs some tens of millions of characters a second).
/// Immutable after training; safe to share between threads, each with its own <see cref="FastRandom"/>.
/// </remarks>
public sealed class MarkovText
{
    private const char Boundary = '\u0002';

    // Multi-character symbols are stored as characters of the Private Use Area, which the samples do not use.
    private const char FirstToken = '\uE000';
    private const char LastToken = '\uF8FF';

    // Successors of state s are _next[_first[s] .. _first[s + 1]), repeated as often as they were seen so that a
    // uniform pick is a frequency-weighted one; _nextState holds the state each of them leads to (-1: sentence end).
    private readonly int[] _first;
    private readonly char[] _next;
    private readonly int[] _nextState;
    private readonly string[] _tokens;

    private MarkovText(int[] first, char[] next, int[] nextState, string[] tokens)
    {
        _first = first;
        _next = next;
        _nextState = nextState;
        _tokens = tokens;
    }

    /// <summary>Number of distinct contexts learnt, the start of a sentence included.</summary>
    public int StateCount => _first.Length - 1;

    /// <summary>Ends a sentence: generation stops after one of these.</summary>
    public static bool IsSentenceEnd(char c) => c is '。' or '！' or '？';

    /// <summary>Ends a clause: a title or a summary may be cut after one of these.</summary>
    public static bool IsClauseEnd(char c) => c is '，' or '；' or '：' || IsSentenceEnd(c);

    /// <summary>
    /// Learns from <paramref name="sentences"/> with <paramref name="order"/> symbols of context (1–3). Each
    /// sentence must end with 。！or ？ and contain no other (others are skipped): that is what guarantees every
    /// state reached while generating has a way on, up to the end of a sentence.
    /// </summary>
    public static MarkovText Train(IEnumerable<string> sentences, int order = 2)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(order, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(order, 3);
        var tokenIds = new Dictionary<string, char>(StringComparer.Ordinal);
        var tokens = new List<string>();
        var ids = new Dictionary<ulong, int>();
        var successors = new List<List<char>>();
        var keys = new List<ulong>();
        int State(ulong key)
        {
            if (!ids.TryGetValue(key, out var id))
            {
                id = successors.Count;
                ids[key] = id;
                successors.Add([]);
                keys.Add(key);
            }
            return id;
        }
        // The context is the last `order` symbols, 16 bits each; at the start of a sentence all are Boundary.
        var mask = order == 3 ? 0xFFFF_FFFF_FFFFUL : order == 2 ? 0xFFFF_FFFFUL : 0xFFFFUL;
        var initial = 0UL;
        for (var i = 0; i < order; i++)
        {
            initial = (initial << 16) | Boundary;
        }
        ulong Shift(ulong key, char c) => ((key << 16) | c) & mask;

        State(initial);
        foreach (var sentence in sentences)
        {
            if (sentence.Length < 2 || !IsSentenceEnd(sentence[^1]) || sentence.AsSpan(0, sentence.Length - 1).IndexOfAny("。！？") >= 0
                || sentence.AsSpan().IndexOfAnyInRange(FirstToken, LastToken) >= 0)
            {
                continue;
            }
            var key = initial;
            for (var i = 0; i < sentence.Length; i++)
            {
                var c = sentence[i];
                if (char.IsAsciiLetterOrDigit(c))
                {
                    var end = i + 1;
                    while (end < sentence.Length && char.IsAsciiLetterOrDigit(sentence[end]))
                    {
                        end++;
                    }
                    var word = sentence[i..end];
                    if (!tokenIds.TryGetValue(word, out c))
                    {
                        if (tokens.Count > LastToken - FirstToken)
                        {
                            break; // more distinct numbers than symbols: skip the rest of this sentence
                        }
                        c = (char)(FirstToken + tokens.Count);
                        tokenIds[word] = c;
                        tokens.Add(word);
                    }
                    i = end - 1;
                }
                successors[State(key)].Add(c);
                key = Shift(key, c);
            }
        }

        // Second pass: resolve each successor to the state it leads to, so generation needs no lookups.
        var first = new int[successors.Count + 1];
        var total = successors.Sum(s => s.Count);
        var next = new char[total];
        var nextState = new int[total];
        var at = 0;
        for (var s = 0; s < successors.Count; s++)
        {
            first[s] = at;
            foreach (var c in successors[s])
            {
                next[at] = c;
                // A sentence end leads nowhere: generation stops there. Any other successor was itself followed by
                // something in training (or a sentence cut short there), so the state it leads to exists.
                nextState[at] = IsSentenceEnd(c) ? -1 : ids.GetValueOrDefault(Shift(keys[s], c), -1);
                at++;
            }
        }
        first[successors.Count] = at;
        return new MarkovText(first, next, nextState, tokens.ToArray());
    }

    /// <summary>
    /// Appends one sentence, ending with its 。！or ？, if it comes out at most <paramref name="maxLength"/>
    /// characters long; otherwise leaves <paramref name="text"/> as it was. Returns the number of characters
    /// appended (0 if none).
    /// </summary>
    public int AppendSentence(FastRandom random, StringBuilder text, int maxLength) =>
        Append(random, text, maxLength, clause: false);

    /// <summary>
    /// Appends the opening clause of a new sentence, up to and including its first ，；：。！or ？, under the same
    /// rule as <see cref="AppendSentence"/>.
    /// </summary>
    public int AppendClause(FastRandom random, StringBuilder text, int maxLength) =>
        Append(random, text, maxLength, clause: true);

    private int Append(FastRandom random, StringBuilder text, int maxLength, bool clause)
    {
        var start = text.Length;
        var limit = start + maxLength;
        var state = 0;
        while (state >= 0 && _first[state + 1] > _first[state])
        {
            var from = _first[state];
            var pick = from + random.Next(_first[state + 1] - from);
            var c = _next[pick];
            state = _nextState[pick];
            if (c is >= FirstToken and <= LastToken)
            {
                text.Append(_tokens[c - FirstToken]);
            }
            else
            {
                text.Append(c);
            }
            if (text.Length > limit)
            {
                break;
            }
            if (IsSentenceEnd(c) || (clause && IsClauseEnd(c)))
            {
                return text.Length - start;
            }
        }
        // Too long, or a dead end (nothing learnt, or a training sentence cut short): leave the text as it was.
        text.Length = start;
        return 0;
    }
}
