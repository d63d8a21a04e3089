namespace PovertyNews.Web.Newsroom.SensitiveWords;

/// <summary>
/// Aho–Corasick automaton over UTF-16 characters: finds every occurrence of every pattern, overlapping ones
/// included, in one pass over the text, whatever the number of patterns. Immutable once built, so one instance
/// serves every request.
/// </summary>
/// <remarks>
/// The trie is stored flat: the root's transitions in a 65,536-entry table (it branches on thousands of first
/// characters), every other state's in a slice of two sorted arrays, searched linearly when short and by halving
/// otherwise. Patterns are expected already folded; the caller folds the text the same way.
/// </remarks>
public sealed class AhoCorasick
{
    private const int Root = 0;
    private const int LinearSearchLimit = 8;

    private readonly int[] _rootNext;
    private readonly int[] _edgeStart; // state → first edge; _edgeStart[state + 1] ends its edges
    private readonly char[] _edgeChar;
    private readonly int[] _edgeTarget;
    private readonly int[] _fail;
    private readonly int[] _pattern;     // pattern ending in this state, or -1
    private readonly int[] _outputLink;  // nearest state on the failure chain that ends a pattern, or Root
    private readonly int[] _patternLength;

    public int PatternCount => _patternLength.Length;

    public int StateCount => _fail.Length;

    /// <summary>Builds the automaton; pattern i is reported as i. Empty patterns are ignored; equal ones report the first.</summary>
    public AhoCorasick(IReadOnlyList<string> patterns)
    {
        _patternLength = patterns.Select(p => p.Length).ToArray();

        // 1. A trie: the root's edges straight in its table (it has thousands), every other state's in a short list.
        _rootNext = new int[char.MaxValue + 1];
        var rootChars = new List<char>();
        var children = new List<List<(char C, int Target)>?> { null };
        var pattern = new List<int> { -1 };
        for (var p = 0; p < patterns.Count; p++)
        {
            var state = Root;
            foreach (var c in patterns[p])
            {
                var next = -1;
                if (state == Root)
                {
                    next = _rootNext[c] == Root ? -1 : _rootNext[c];
                }
                else if (children[state] is { } list)
                {
                    foreach (var (ch, target) in list)
                    {
                        if (ch == c)
                        {
                            next = target;
                            break;
                        }
                    }
                }
                if (next < 0)
                {
                    next = children.Count;
                    children.Add(null);
                    pattern.Add(-1);
                    if (state == Root)
                    {
                        _rootNext[c] = next;
                        rootChars.Add(c);
                    }
                    else
                    {
                        (children[state] ??= []).Add((c, next));
                    }
                }
                state = next;
            }
            if (state != Root && pattern[state] < 0)
            {
                pattern[state] = p;
            }
        }
        rootChars.Sort();
        children[Root] = rootChars.Select(c => (c, _rootNext[c])).ToList();

        // 2. Flatten the other states' edges into two arrays, sorted per state for the search in Step.
        var count = children.Count;
        _edgeStart = new int[count + 1];
        var total = 0;
        for (var s = 0; s < count; s++)
        {
            _edgeStart[s] = total;
            total += children[s]?.Count ?? 0;
        }
        _edgeStart[count] = total;
        _edgeChar = new char[total];
        _edgeTarget = new int[total];
        for (var s = 0; s < count; s++)
        {
            if (children[s] is not { } edges)
            {
                continue;
            }
            edges.Sort((a, b) => a.C.CompareTo(b.C));
            for (var e = 0; e < edges.Count; e++)
            {
                _edgeChar[_edgeStart[s] + e] = edges[e].C;
                _edgeTarget[_edgeStart[s] + e] = edges[e].Target;
            }
        }
        _pattern = [.. pattern];

        // 3. Failure and output links, breadth first so a state's failure target is always done before it.
        _fail = new int[count];
        _outputLink = new int[count];
        var queue = new Queue<int>();
        for (var e = _edgeStart[Root]; e < _edgeStart[Root + 1]; e++)
        {
            queue.Enqueue(_edgeTarget[e]);
        }
        while (queue.Count > 0)
        {
            var state = queue.Dequeue();
            for (var e = _edgeStart[state]; e < _edgeStart[state + 1]; e++)
            {
                var c = _edgeChar[e];
                var child = _edgeTarget[e];
                var f = _fail[state];
                int next;
                while ((next = Step(f, c)) < 0)
                {
                    f = _fail[f];
                }
                _fail[child] = next;
                _outputLink[child] = _pattern[next] >= 0 ? next : _outputLink[next];
                queue.Enqueue(child);
            }
        }
    }

    /// <summary>A match: pattern index and the match's start and end (exclusive) in the text.</summary>
    public readonly record struct Match(int Pattern, int Start, int End);

    /// <summary>Appends every occurrence of every pattern in <paramref name="text"/>, in order of their end.</summary>
    public void FindAll(ReadOnlySpan<char> text, List<Match> into)
    {
        var state = Root;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            int next;
            while ((next = Step(state, c)) < 0)
            {
                state = _fail[state];
            }
            state = next;
            for (var o = _pattern[state] >= 0 ? state : _outputLink[state]; o != Root; o = _outputLink[o])
            {
                var p = _pattern[o];
                into.Add(new Match(p, i + 1 - _patternLength[p], i + 1));
            }
        }
    }

    /// <summary>The transition from <paramref name="state"/> on <paramref name="c"/>; -1 when there is none (never from the root).</summary>
    private int Step(int state, char c)
    {
        if (state == Root)
        {
            return _rootNext[c];
        }
        var lo = _edgeStart[state];
        var hi = _edgeStart[state + 1];
        if (hi - lo <= LinearSearchLimit)
        {
            for (var e = lo; e < hi; e++)
            {
                var ch = _edgeChar[e];
                if (ch == c)
                {
                    return _edgeTarget[e];
                }
                if (ch > c)
                {
                    break;
                }
            }
            return -1;
        }
        hi--;
        while (lo <= hi)
        {
            var mid = (lo + hi) >>> 1;
            var ch = _edgeChar[mid];
            if (ch == c)
            {
                return _edgeTarget[mid];
            }
            if (ch < c)
            {
                lo = mid + 1;
            }
            else
            {
                hi = mid - 1;
            }
        }
        return -1;
    }
}
