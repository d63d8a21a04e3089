using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using PovertyNews.Web.Domain;

namespace PovertyNews.Web.Data.Configurations;

internal sealed class MediaItemConfiguration : IEntityTypeConfiguration<MediaItem>
{
    public void Configure(EntityTypeBuilder<MediaItem> m)
    {
        m.Property(x => x.StoredName).HasMaxLength(80);
        m.HasIndex(x => x.StoredName).IsUnique();
        m.Property(x => x.OriginalName).HasMaxLength(MediaItem.MaxOriginalNameLength);
        m.Property(x => x.SourceFormat).HasMaxLength(10);
        m.Property(x => x.ContentType).HasMaxLength(50);
        m.Property(x => x.Sha256).HasMaxLength(64);
        m.HasIndex(x => x.Sha256).IsUnique();
        m.Property(x => x.AltText).HasMaxLength(MediaItem.MaxAltTextLength);
        m.Property(x => x.UploadedById).HasMaxLength(450);
        m.Property(x => x.UploadedByName).HasMaxLength(100);
        m.HasIndex(x => x.UploadedAt);
        m.HasIndex(x => x.Kind);
        // No foreign key: on SQLite adding one rebuilds the table outside a transaction. The library refuses to delete
        // a poster a video still uses (MediaReferences), as it does for images used in articles.
        m.HasIndex(x => x.PosterId);
        m.Ignore(x => x.Url);
        m.Ignore(x => x.MarkdownSnippet);
    }
}
