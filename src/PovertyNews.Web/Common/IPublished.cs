namespace PovertyNews.Web.Common;

/// <summary>A projection of a published article that can be merged newest first.</summary>
public interface IPublished
{
    int Id { get; }
    DateTime PublishedAt { get; }
}
