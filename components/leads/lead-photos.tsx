import type { LeadPhoto } from "@/lib/leads/lead-photos";

/** A thumbnail's box: the photo scaled to fit, its proportions kept. */
const BOX = 160;

function thumbnailSize(photo: LeadPhoto): { width: number; height: number } {
  if (!photo.width || !photo.height) return { width: BOX, height: BOX };
  const scale = Math.min(1, BOX / Math.max(photo.width, photo.height));
  return {
    width: Math.max(1, Math.round(photo.width * scale)),
    height: Math.max(1, Math.round(photo.height * scale)),
  };
}

/**
 * The photos visitors attached to the lead's submissions, as thumbnails linking to the full
 * image; their links are signed and work for minutes (lib/photos/signed-link.ts).
 */
export function LeadPhotos({ photos }: { photos: LeadPhoto[] }) {
  if (photos.length === 0) return null;
  return (
    <section aria-labelledby="lead-photos">
      <h2 id="lead-photos">Photos</h2>
      <ul className="lead-photos">
        {photos.map((photo) => {
          const size = thumbnailSize(photo);
          return (
            <li key={photo.id}>
              <a href={photo.url} target="_blank" rel="noopener">
                {/* eslint-disable-next-line @next/next/no-img-element -- a signed, private image, not for the optimiser */}
                <img
                  src={photo.url}
                  alt={photo.name ? `Photo ${photo.name}` : "A photo the visitor attached"}
                  width={size.width}
                  height={size.height}
                  loading="lazy"
                />
              </a>
            </li>
          );
        })}
      </ul>
    </section>
  );
}
