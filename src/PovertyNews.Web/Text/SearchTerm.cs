namespace PovertyNews.Web.Text;

/// <summary>
/// One thing to find: a word or a phrase, already cut into index tokens. A Chinese run becomes its overlapping
/// character bigrams, which must stand next to each other; a run of one character matches as a prefix.
/// </summary>
/// <param name="Text">The term as folded text, for highlighting and for echoing back.</param>
/// <param name="Tokens">Index tokens that must appear consecutively.</param>
/// <param name="LastIsPrefix">The last token matches any token it begins (a lone Chinese character).</param>
public sealed record SearchTerm(string Text, IReadOnlyList<string> Tokens, bool LastIsPrefix)
{
    /// <summary>
    /// The tokens whose document counts bound the term's own, each as a term of its own: every other token and the
    /// last, which together cover every character. The rarest of them stands for a phrase's frequency in ranking, an
    /// upper bound that costs no position checks; every index counts the same ones, so rankings agree.
    /// </summary>
    public IEnumerable<SearchTerm> FrequencyTokens()
    {
        for (var i = 0; i < Tokens.Count; i++)
        {
            if (i % 2 == 0 || i == Tokens.Count - 1)
            {
                yield return new SearchTerm(Tokens[i], [Tokens[i]], LastIsPrefix && i == Tokens.Count - 1);
            }
        }
    }
}
