// IMG-01: the images the task definitions name are in their repositories, and pullable across accounts.
import { Then } from '@cucumber/cucumber';
import type { PreflightWorld } from '../support/world';
import * as images from '../support/checks/images';

Then("every ECR image the task definitions name exists, and other accounts' repositories let the execution role pull it", function (this: PreflightWorld) {
  for (const note of images.imageNotes(this.inventory, this.workloads)) this.log(note);
  return this.expectNoFindings(images.IMG_01, images.imagesExist);
});
