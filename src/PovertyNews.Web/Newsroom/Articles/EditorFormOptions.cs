namespace PovertyNews.Web.Newsroom.Articles;

public sealed record EditorFormOptions(IReadOnlyList<ChannelOption> Channels, IReadOnlyList<string> TagNames)
{
    public string ChannelLabel(int? id) => Channels.FirstOrDefault(c => c.Id == id)?.Label ?? "";
}
