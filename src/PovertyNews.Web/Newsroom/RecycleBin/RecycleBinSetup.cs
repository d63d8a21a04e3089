namespace PovertyNews.Web.Newsroom.RecycleBin;

public static class RecycleBinSetup
{
    /// <summary>回收站: its options, the service that purges (now, or when due) and the job that purges when due.</summary>
    public static IServiceCollection AddRecycleBin(this IServiceCollection services)
    {
        services.AddOptions<RecycleBinOptions>().BindConfiguration(RecycleBinOptions.SectionName)
            .ValidateDataAnnotations().ValidateOnStart();
        services.AddScoped<RecycleBinService>();
        services.AddHostedService<RecycleBinPurger>();
        return services;
    }
}
