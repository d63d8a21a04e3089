namespace PovertyNews.Web.Common;

/// <summary>A channel as reader pages, lists and search forms name and link it.</summary>
public sealed record ChannelLink(int Id, string Slug, string Name, int? ParentId, bool IsHidden, int SortOrder);
