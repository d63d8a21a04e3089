namespace PovertyNews.Web.Text;

/// <summary>
/// One thing to find: a word or a phrase, already cut into index tokens. A Chinese run becomes its overlapping
/// character bigrams, which must stand next to each other; a run of one character matches as a prefix.
/// </summary>
/// <param name="Text">The term as folded text, for highlighting and for echoing back.</param>
/// <param name="Tokens">Index tokens that must appear consecutively.</param>
/// <param name="LastIsPrefix">The last token matches any token it begins (a lone Chinese character).</param>
public sealed record SearchTerm(string Text, IReadOnlyList<string> Tokens, bool LastIsPrefix);
