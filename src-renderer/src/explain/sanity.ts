/** Words for the Sanity view: which data the checks ran on (synthetic or the open dataset). */
import type { SanityForm } from '../stores/sanity'

/** The data of a sanity run as a phrase: only "synthetic" when synthetic data was used. */
export function sanityDataText(f: Pick<SanityForm, 'source' | 'examples' | 'preprocess'>): string {
  return f.source === 'dataset'
    ? `the training images of the open CIFAR-10 dataset (preprocessing: ${f.preprocess})`
    : `synthetic CIFAR-sized data (${f.examples.toLocaleString('en')} examples of 10 Gaussian classes in 3072 dimensions, not images)`
}
