namespace PovertyNews.Web.Markdown;

/// <summary>Input the renderer refuses (too large, too deeply nested); the message is shown to the editor in Chinese.</summary>
public sealed class MarkdownRejectedException(string message) : Exception(message);
