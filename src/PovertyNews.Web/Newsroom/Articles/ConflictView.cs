namespace PovertyNews.Web.Newsroom.Articles;

/// <summary>The saved article ("theirs") against the editor's unsaved input ("mine").</summary>
public sealed record ConflictView(ArticleInput Theirs, Guid TheirVersion, int? TheirRevision, string? TheirUser, DateTime TheirAt, TextDiff Diff);
