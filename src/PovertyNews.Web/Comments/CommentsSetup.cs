namespace PovertyNews.Web.Comments;

public static class CommentsSetup
{
    /// <summary>留言: reader comments, held for review; <paramref name="dataPath"/> keeps the client-hash key when none is configured.</summary>
    public static IServiceCollection AddComments(this IServiceCollection services, string dataPath)
    {
        services.AddOptions<CommentOptions>().BindConfiguration(CommentOptions.SectionName)
            .ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton(new CommentKeyFile(Path.Combine(dataPath, "comment-client.key")));
        services.AddSingleton<ClientHasher>();
        services.AddSingleton<CommentFormStamp>();
        services.AddScoped<CommentService>();
        services.AddSingleton<CommentRetention>();
        services.AddHostedService(sp => sp.GetRequiredService<CommentRetention>());
        return services;
    }
}
