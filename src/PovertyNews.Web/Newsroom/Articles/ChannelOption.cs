namespace PovertyNews.Web.Newsroom.Articles;

public sealed record ChannelOption(int Id, string Label);
