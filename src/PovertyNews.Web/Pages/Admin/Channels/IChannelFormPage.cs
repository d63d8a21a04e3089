using PovertyNews.Web.Newsroom.Channels;

namespace PovertyNews.Web.Pages.Admin.Channels;

/// <summary>What the shared channel fields (_ChannelFields) read from the new and edit pages.</summary>
public interface IChannelFormPage
{
    ChannelInput Input { get; }
    IReadOnlyList<ChannelChoice> Parents { get; }
}
