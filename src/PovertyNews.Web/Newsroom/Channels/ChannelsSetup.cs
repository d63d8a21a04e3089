namespace PovertyNews.Web.Newsroom.Channels;

public static class ChannelsSetup
{
    public static IServiceCollection AddChannels(this IServiceCollection services) => services.AddScoped<ChannelService>();
}
